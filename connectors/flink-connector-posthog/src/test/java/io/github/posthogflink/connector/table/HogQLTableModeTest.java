package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.apache.flink.table.api.Expressions.$;
import static org.assertj.core.api.Assertions.assertThat;

/** The table mode of {@code posthog-hogql} against the testkit: what is sent, what comes back. */
class HogQLTableModeTest {
    static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
    static final int EVENTS = 40;

    /** Notes that must reach PostHog as exactly the intended constant. */
    static final List<String> HOSTILE =
            List.of(
                    "it's",
                    "back\\slash\\'",
                    "{phf_cursor_ts} {x}",
                    "two\nlines\ttab",
                    "ünïcødé 🚀 \u2028",
                    "100%",
                    "a_b",
                    "axb",
                    "`tick` \"dq\"");

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void seed() {
        List<PostHogEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            PostHogEvent.Builder event =
                    PostHogEvent.builder(i % 4 == 3 ? "$pageview" : "signup", "user-" + i)
                            .uuid(new UUID(2, i))
                            .timestamp(BASE.plusSeconds(i * 3600L))
                            .property("plan", i % 2 == 0 ? "pro" : "free")
                            .property("$browser", i % 3 == 0 ? "Chrome" : "Firefox");
            if (i < HOSTILE.size()) {
                event.property("note", HOSTILE.get(i));
            }
            events.add(event.build());
        }
        try (PostHogClient client =
                PostHogClient.create(
                        PostHogClientConfig.builder()
                                .host(posthog.baseUrl())
                                .projectApiKey(posthog.projectApiKey())
                                .build())) {
            client.capture().batch(events).join();
        }
    }

    /** Requests up to this sequence number were sent before the current step. */
    private static long since;

    @BeforeEach
    void forgetRequests() {
        since = posthog.requests().stream().mapToLong(RecordedRequest::sequence).max().orElse(0);
    }

    @Test
    void onlyTheColumnsFiltersAndRangeItNeedsAreSent() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(eventsTable(""));

        List<Row> rows =
                collect(
                        env,
                        "SELECT distinct_id, browser FROM ev WHERE plan = 'pro' AND event ="
                                + " 'signup' AND UPPER(distinct_id) <> 'USER-0' AND `timestamp`"
                                + " >= TO_TIMESTAMP_LTZ(1772344800000, 3) AND `timestamp` <"
                                + " TO_TIMESTAMP_LTZ(1772431200000, 3)");

        List<String> expected =
                IntStream.range(6, 30)
                        .filter(i -> i % 2 == 0 && i % 4 != 3)
                        .mapToObj(i -> "user-" + i + "/" + (i % 3 == 0 ? "Chrome" : "Firefox"))
                        .toList();
        assertThat(rows.stream().map(r -> r.getField(0) + "/" + r.getField(1)))
                .containsExactlyInAnyOrderElementsOf(expected);
        List<JsonNode> pages = pages();
        assertThat(pages).as("UTC-day slices of the pushed range: 03-01, 03-02").hasSize(2);
        assertThat(pages)
                .allSatisfy(
                        q ->
                                assertThat(q.get("query").asText())
                                        .startsWith(
                                                "SELECT distinct_id, properties.$browser AS"
                                                        + " browser, timestamp, uuid FROM events"
                                                        + " WHERE ((properties.plan = 'pro') AND"
                                                        + " (event = 'signup') AND ((timestamp >="
                                                        + " toDateTime('2026-03-01"
                                                        + " 06:00:00.000000')) AND (timestamp <"
                                                        + " toDateTime('2026-03-02"
                                                        + " 06:00:00.000000')))) AND (timestamp")
                                        .doesNotContainIgnoringCase("upper"));
        assertThat(pages.stream().map(q -> q.at("/values/phf_cursor_ts").asText()))
                .containsExactlyInAnyOrder("2026-03-01T06:00:00Z", "2026-03-02T00:00:00Z");
        assertThat(pages.stream().map(q -> q.at("/values/phf_until").asText()))
                .containsExactlyInAnyOrder("2026-03-01T23:59:59.999999Z", "2026-03-02T06:00:00Z");
    }

    @Test
    void aLimitIsPushedAndReadInKeysetPagesWithoutOffset() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(eventsTable(", 'hogql.page-size' = '10'"));

        List<Row> rows = collect(env, "SELECT uuid FROM ev LIMIT 25");

        assertThat(rows).hasSize(25);
        List<JsonNode> pages = pages();
        assertThat(pages.stream().map(q -> q.at("/values/phf_page_size").asInt()))
                .as("a LIMIT reads one split (no slices) in pages up to the limit")
                .containsExactly(10, 10, 5);
        assertThat(pages).noneMatch(q -> q.get("query").asText().contains("OFFSET"));
    }

    @Test
    void hostileStringsReachPostHogAsExactlyTheIntendedConstants() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(eventsTable(""));
        // PostHog reads a string property as its raw JSON text: escapes are not decoded
        // (posthog/hogql/printer.py, JSONExtractRaw), so a note with a backslash or a newline
        // comes back escaped, and only that text matches it, in PostHog as in Flink.
        List<String> returned = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            returned.add(
                    (String)
                            collect(env, "SELECT note FROM ev WHERE distinct_id = 'user-" + i + "'")
                                    .get(0)
                                    .getField(0));
        }
        assertThat(returned.get(1)).isEqualTo("back\\\\slash\\\\'");
        List<String> literals = new ArrayList<>(HOSTILE);
        literals.addAll(returned);
        for (String note : literals) {
            forgetRequests();
            Table t = env.from("ev").where($("note").isEqual(note)).select($("distinct_id"));
            List<Row> expected =
                    IntStream.range(0, HOSTILE.size())
                            .filter(i -> returned.get(i).equals(note))
                            .mapToObj(i -> Row.of("user-" + i))
                            .toList();
            assertThat(collect(t)).as(note).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(pages())
                    .isNotEmpty()
                    .allSatisfy(
                            q ->
                                    assertThat(q.get("query").asText())
                                            .contains(
                                                    "WHERE (properties.note = "
                                                            + hogqlString(note)
                                                            + ") AND (timestamp"));
        }
        assertThat(returned).contains("it's", "{phf_cursor_ts} {x}", "100%", "a_b", "axb");
        forgetRequests();
        assertThat(notes(env, "SELECT note FROM ev WHERE note LIKE 'a_b'"))
                .containsExactlyInAnyOrder("a_b", "axb");
        assertThat(notes(env, "SELECT note FROM ev WHERE note LIKE 'a!_b' ESCAPE '!'"))
                .containsExactly("a_b");
        forgetRequests();
        assertThat(notes(env, "SELECT note FROM ev WHERE note LIKE '%!%' ESCAPE '!'"))
                .containsExactly("100%");
        assertThat(pages())
                .allSatisfy(q -> assertThat(q.get("query").asText()).contains("LIKE '%\\\\%'"));
    }

    @Test
    void nullsAreFilteredAsFlinkFiltersThem() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(eventsTable(""));
        List<String> notX = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            String note =
                    (String)
                            collect(env, "SELECT note FROM ev WHERE distinct_id = 'user-" + i + "'")
                                    .get(0)
                                    .getField(0);
            if (!note.equals("axb")) {
                notX.add(note);
            }
        }
        assertThat(notes(env, "SELECT note FROM ev WHERE note <> 'axb'"))
                .as("a NULL note is not <> 'axb' in Flink, though HogQL's != says it is")
                .containsExactlyInAnyOrderElementsOf(notX);
        assertThat(notes(env, "SELECT note FROM ev WHERE NOT (note = 'axb' OR note = 'a_b')"))
                .hasSize(HOSTILE.size() - 2);
        assertThat(collect(env, "SELECT uuid FROM ev WHERE note IS NULL"))
                .hasSize(EVENTS - HOSTILE.size());
    }

    @Test
    @Timeout(120)
    void anUnboundedTableIsReadIncrementallyUnderAWatermark() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE live (event STRING, ts TIMESTAMP_LTZ(3), WATERMARK FOR ts AS ts -"
                        + " INTERVAL '1' SECOND) WITH ("
                        + options()
                        + ", 'hogql.table' = 'events', 'hogql.column.ts' = 'timestamp',"
                        + " 'hogql.page-size' = '7', 'hogql.poll-interval' = '100ms',"
                        + " 'hogql.late-row-window' = '0')");
        List<Row> windows = new ArrayList<>();
        try (CloseableIterator<Row> it =
                env.executeSql(
                                "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE live,"
                                        + " DESCRIPTOR(ts), INTERVAL '6' HOUR)) WHERE event ="
                                        + " 'signup' GROUP BY window_start, window_end")
                        .collect()) {
            while (windows.size() < 3) {
                windows.add(it.next());
            }
        }
        assertThat(windows)
                .containsExactly(
                        Row.of(utc(BASE), 5L),
                        Row.of(utc(BASE.plusSeconds(6 * 3600)), 4L),
                        Row.of(utc(BASE.plusSeconds(12 * 3600)), 5L));
        assertThat(pages().get(0).get("query").asText())
                .startsWith("SELECT event, timestamp AS ts, timestamp, uuid FROM events WHERE")
                .contains("ORDER BY timestamp, uuid LIMIT {phf_page_size}");
    }

    private static java.time.LocalDateTime utc(Instant instant) {
        return java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    private static List<String> notes(TableEnvironment env, String query) throws Exception {
        return collect(env, query).stream().map(r -> (String) r.getField(0)).toList();
    }

    /** The page queries sent (not the range probe), as the JSON {@code query} objects. */
    private static List<JsonNode> pages() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (RecordedRequest r : posthog.requests()) {
            if (r.sequence() > since && r.method().equals("POST") && r.path().endsWith("/query/")) {
                JsonNode q = JSON.readTree(r.bodyText()).get("query");
                if (q.get("query").asText().contains("phf_page_size")) {
                    out.add(q);
                }
            }
        }
        return out;
    }

    /** A HogQL string constant as posthog/hogql/escape_sql.py writes it. */
    static String hogqlString(String s) {
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append("'").toString();
    }

    static String eventsTable(String extraOptions) {
        return "CREATE TABLE ev (uuid STRING, event STRING, distinct_id STRING, `timestamp`"
                + " TIMESTAMP_LTZ(6), plan STRING, browser STRING, note STRING) WITH ("
                + options()
                + ", 'hogql.table' = 'events', 'hogql.bounded' = 'true',"
                + " 'hogql.column.plan' = 'properties.plan', 'hogql.column.browser' ="
                + " 'properties.$browser', 'hogql.column.note' = 'properties.note',"
                + " 'hogql.start-timestamp' = '2026-03-01T00:00:00Z',"
                + " 'hogql.end-timestamp' = '2026-03-03T00:00:00Z'"
                + extraOptions
                + ")";
    }

    static String options() {
        return TableTestSupport.personalKeyOptions(posthog, "posthog-hogql");
    }

    static List<Row> collect(TableEnvironment env, String query) throws Exception {
        return collect(env.sqlQuery(query));
    }

    static List<Row> collect(Table table) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = table.execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
