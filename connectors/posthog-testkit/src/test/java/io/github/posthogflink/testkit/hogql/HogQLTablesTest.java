package io.github.posthogflink.testkit.hogql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The events columns PostHog materialises, and the sessions, groups and query_log tables. */
class HogQLTablesTest {
    private static final Instant T0 = Instant.parse("2024-06-14T09:00:00Z");
    private static final String SESSION_A = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    private static final String SESSION_B = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

    private HogQLEngine engine;

    @BeforeEach
    void open() {
        engine = new HogQLEngine(Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void event(String name, String session, int secondsAfterT0, String extraJson) {
        engine.insertEvents(
                List.of(
                        new EventRow(
                                UUID.randomUUID(),
                                name,
                                "alice",
                                "{\"$session_id\":\""
                                        + session
                                        + "\",\"$window_id\":\"w1\""
                                        + extraJson
                                        + "}",
                                T0.plusSeconds(secondsAfterT0),
                                T0.plusSeconds(secondsAfterT0 + 2),
                                name.equals("$autocapture")
                                        ? "button.cta:nth-child=\"1\""
                                        : null)));
    }

    private List<List<Object>> rows(String hogql) throws HogQLException {
        return engine.execute(hogql, Map.of(), 0).results();
    }

    @Test
    void eventsHaveTheColumnsPostHogMaterialises() throws Exception {
        event("$autocapture", SESSION_A, 0, ",\"$group_0\":\"acme\"");

        HogQLResult result =
                engine.execute(
                        "SELECT $session_id, $window_id, $group_0, $group_1, elements_chain,"
                                + " created_at, person_mode FROM events",
                        Map.of(),
                        0);

        assertThat(result.types())
                .containsExactly(
                        "String",
                        "String",
                        "String",
                        "String",
                        "String",
                        "DateTime64(6, 'UTC')",
                        "String");
        assertThat(result.results().get(0))
                .containsExactly(
                        SESSION_A,
                        "w1",
                        "acme",
                        "",
                        "button.cta:nth-child=\"1\"",
                        "2024-06-14T09:00:02Z",
                        "full");
    }

    @Test
    void selectStarOnEventsIsPostHogsColumnList() throws Exception {
        event("$pageview", SESSION_A, 0, "");

        HogQLResult result = engine.execute("SELECT * FROM events", Map.of(), 0);

        assertThat(result.columns())
                .containsExactly(
                        "uuid",
                        "event",
                        "properties",
                        "timestamp",
                        "distinct_id",
                        "elements_chain",
                        "created_at",
                        "$session_id",
                        "$window_id",
                        "person_mode",
                        "$group_0",
                        "$group_1",
                        "$group_2",
                        "$group_3",
                        "$group_4");
    }

    @Test
    void sessionsAreDerivedFromEventsWithAUuidV7SessionId() throws Exception {
        event(
                "$pageview",
                SESSION_A,
                0,
                ",\"$current_url\":\"https://shop.example/start?x=1\",\"utm_source\":\"news\"");
        event("$autocapture", SESSION_A, 30, ",\"$current_url\":\"https://shop.example/cart\"");
        event("$pageview", SESSION_A, 60, ",\"$current_url\":\"https://shop.example/pay\"");
        event("$pageview", SESSION_B, 100, ",\"$current_url\":\"https://shop.example/\"");
        event("$pageview", "not-a-uuid", 0, "");

        HogQLResult result =
                engine.execute(
                        "SELECT session_id, distinct_id, $start_timestamp, $end_timestamp,"
                                + " $session_duration, $pageview_count, $autocapture_count,"
                                + " $entry_current_url, $entry_pathname, $entry_hostname,"
                                + " $end_current_url, $exit_pathname, $entry_utm_source,"
                                + " $num_uniq_urls, $is_bounce FROM sessions ORDER BY"
                                + " $start_timestamp",
                        Map.of(),
                        0);

        assertThat(result.results()).hasSize(2);
        assertThat(result.results().get(0))
                .containsExactly(
                        SESSION_A,
                        "alice",
                        "2024-06-14T09:00:00Z",
                        "2024-06-14T09:01:00Z",
                        60L,
                        2L,
                        1L,
                        "https://shop.example/start?x=1",
                        "/start",
                        "shop.example",
                        "https://shop.example/pay",
                        "/pay",
                        "news",
                        3L,
                        0L);
        // one pageview within 10 s is a bounce
        assertThat(result.results().get(1).get(14)).isEqualTo(1L);
        assertThat(result.types().get(4)).isEqualTo("Int64");
        assertThat(result.types().get(14)).isEqualTo("Nullable(UInt8)");
    }

    @Test
    void groupsHoldTypeIndexKeyAndProperties() throws Exception {
        engine.replaceGroups(
                List.of(
                        new GroupRow(0, "acme", "{\"name\":\"Acme\",\"seats\":12}", T0, T0),
                        new GroupRow(1, "eu", "{\"name\":\"Europe\"}", T0, T0.plusSeconds(5))));

        HogQLResult result =
                engine.execute(
                        "SELECT index, key, properties.name, properties.seats, updated_at FROM"
                                + " groups WHERE index = 0",
                        Map.of(),
                        0);

        assertThat(result.results())
                .containsExactly(List.of(0L, "acme", "Acme", 12.0, "2024-06-14T09:00:00Z"));
        assertThat(engine.execute("SELECT * FROM groups", Map.of(), 0).columns())
                .containsExactly("index", "key", "created_at", "updated_at", "properties");
    }

    @Test
    void theQueryLogHoldsFinishedQueries() throws Exception {
        engine.logQuery(
                new QueryLogRow(
                        "q-1",
                        "/api/projects/1/query/",
                        "SELECT 1",
                        "nightly",
                        T0,
                        T0.plusMillis(250),
                        1,
                        5,
                        1,
                        "QueryFinish",
                        0,
                        "",
                        true,
                        "testkit",
                        "phx_...abcd"));

        assertThat(
                        rows(
                                "select query_id, name, query, status, query_duration_ms,"
                                        + " is_personal_api_key_request from query_log where"
                                        + " event_date >= yesterday()"))
                .containsExactly(List.of("q-1", "nightly", "SELECT 1", "QueryFinish", 250L, true));
    }

    @Test
    void offsetIsRefusedWhenTheRequestSaysSo() {
        for (String query :
                List.of(
                        "SELECT 1 FROM events LIMIT 10 OFFSET 5",
                        "SELECT 1 FROM events LIMIT 5, 10")) {
            assertThatThrownBy(
                            () -> engine.execute(HogQLRequest.of(query, Map.of()).refusingOffset()))
                    .isInstanceOf(HogQLException.class)
                    .hasMessage(HogQLRequest.OFFSET_NOT_ALLOWED_MESSAGE)
                    .satisfies(
                            e ->
                                    assertThat(((HogQLException) e).kind())
                                            .isEqualTo(HogQLException.Kind.QUERY));
        }
    }

    @Test
    void aPaginatedRequestSkipsItsOffset() throws Exception {
        for (int i = 0; i < 5; i++) {
            event("$pageview", SESSION_A, i, "");
        }

        HogQLResult page =
                engine.execute(
                        HogQLRequest.of("SELECT timestamp FROM events ORDER BY timestamp", Map.of())
                                .withPage(2, 2));

        assertThat(page.results())
                .containsExactly(List.of("2024-06-14T09:00:02Z"), List.of("2024-06-14T09:00:03Z"));
        assertThat(page.hasMore()).isTrue();
        assertThat(page.offset()).isEqualTo(2);
        assertThat(page.paginated()).isTrue();
        assertThat(engine.execute("SELECT 1 LIMIT 1", Map.of(), 0).paginated()).isFalse();
    }
}
