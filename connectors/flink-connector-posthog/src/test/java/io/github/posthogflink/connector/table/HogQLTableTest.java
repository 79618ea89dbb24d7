package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code posthog-hogql} tables read from the testkit's query API. */
class HogQLTableTest {
    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeAll
    static void seed() {
        List<PostHogEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(
                    PostHogEvent.builder(i % 4 == 3 ? "$pageview" : "signup", "user-" + i)
                            .uuid(new UUID(1, i))
                            .timestamp(BASE.plusSeconds(i / 2))
                            .property("plan", i % 2 == 0 ? "pro" : "free")
                            .build());
        }
        capture(events);
    }

    @Test
    void boundedIncrementalReadPagesInCursorOrder() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE signups (uuid STRING, distinct_id STRING, `timestamp`"
                        + " TIMESTAMP_LTZ(6), plan STRING) WITH ("
                        + options()
                        + ", 'hogql.mode' = 'incremental', 'hogql.select' = 'uuid, distinct_id,"
                        + " timestamp, properties.plan AS plan', 'hogql.where' = 'event ="
                        + " ''signup''', 'hogql.bounded' = 'true', 'hogql.page-size' = '4')");
        List<Row> rows = collect(env, "SELECT uuid, distinct_id, `timestamp`, plan FROM signups");
        assertThat(rows).hasSize(15);
        assertThat(rows.stream().map(r -> (String) r.getField(1)).toList())
                .as("cursor order: timestamp, then uuid")
                .isEqualTo(
                        java.util.stream.IntStream.range(0, 20)
                                .filter(i -> i % 4 != 3)
                                .mapToObj(i -> "user-" + i)
                                .toList());
        Row first = rows.get(0);
        assertThat(first.getField(0)).isEqualTo(new UUID(1, 0).toString());
        assertThat(first.getField(2)).isEqualTo(BASE);
        assertThat(first.getField(3)).isEqualTo("pro");
    }

    @Test
    void boundedSnapshotWithPrimaryKeyIsAnUpsertTable() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE plans (distinct_id STRING, plan STRING, PRIMARY KEY (distinct_id)"
                        + " NOT ENFORCED) WITH ("
                        + options()
                        + ", 'hogql.query' = 'SELECT distinct_id, properties.plan AS plan FROM"
                        + " events WHERE event = ''$pageview'' LIMIT 100', 'hogql.bounded' ="
                        + " 'true')");
        List<Row> rows = collect(env, "SELECT distinct_id, plan FROM plans");
        assertThat(rows).allMatch(r -> r.getKind() == RowKind.INSERT);
        Map<Object, Object> plans =
                rows.stream().collect(Collectors.toMap(r -> r.getField(0), r -> r.getField(1)));
        assertThat(plans)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "user-3", "free",
                                "user-7", "free",
                                "user-11", "free",
                                "user-15", "free",
                                "user-19", "free"));
    }

    @Test
    void aPagedSnapshotReadsMoreRowsThanOnePage() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE users (distinct_id STRING, n BIGINT, PRIMARY KEY (distinct_id)"
                        + " NOT ENFORCED) WITH ("
                        + options()
                        + ", 'hogql.query' = 'SELECT distinct_id, count() AS n FROM events"
                        + " WHERE distinct_id > {phf_page_after} AND event != ''upgrade''"
                        + " GROUP BY distinct_id"
                        + " ORDER BY distinct_id LIMIT {phf_page_size}',"
                        + " 'hogql.snapshot.page-key' = 'distinct_id', 'hogql.page-size' = '6',"
                        + " 'hogql.bounded' = 'true')");

        List<Row> rows = collect(env, "SELECT distinct_id, n FROM users");

        assertThat(rows).hasSize(20);
        assertThat(rows.stream().map(r -> r.getField(0)).distinct()).hasSize(20);
        assertThat(rows).allMatch(r -> Long.valueOf(1).equals(r.getField(1)));
        long pages =
                posthog.requests().stream()
                        .filter(r -> r.path().endsWith("/query/"))
                        .filter(r -> r.bodyText().contains("phf_page_after"))
                        .count();
        assertThat(pages).as("4 pages of 6, the schema probe included").isGreaterThanOrEqualTo(4);
    }

    @Test
    @Timeout(90)
    void anUnboundedSnapshotTablePollsAgainAndEmitsWhatChanged() throws Exception {
        capture("upgrade", "user-1");
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE upgrades (distinct_id STRING, n BIGINT, PRIMARY KEY (distinct_id)"
                        + " NOT ENFORCED) WITH ("
                        + options()
                        + ", 'hogql.query' = 'SELECT distinct_id, count() AS n FROM events WHERE"
                        + " event = ''upgrade'' GROUP BY distinct_id LIMIT 100',"
                        + " 'hogql.poll-interval' = '200ms')");

        Map<Object, Object> latest = new java.util.HashMap<>();
        try (CloseableIterator<Row> it =
                env.executeSql("SELECT distinct_id, n FROM upgrades").collect()) {
            apply(latest, it.next());
            assertThat(latest).containsExactly(Map.entry("user-1", 1L));

            capture("upgrade", "user-1");
            capture("upgrade", "user-2");
            while (!latest.equals(Map.of("user-1", 2L, "user-2", 1L))) {
                apply(latest, it.next());
            }
        }
        assertThat(latest).containsOnly(Map.entry("user-1", 2L), Map.entry("user-2", 1L));
    }

    private static void apply(Map<Object, Object> table, Row row) {
        if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
            table.put(row.getField(0), row.getField(1));
        } else if (row.getKind() == RowKind.DELETE) {
            table.remove(row.getField(0));
        }
    }

    private static void capture(String event, String distinctId) {
        capture(List.of(PostHogEvent.builder(event, distinctId).build()));
    }

    private static void capture(List<PostHogEvent> events) {
        try (PostHogClient client =
                PostHogClient.create(
                        PostHogClientConfig.builder()
                                .host(posthog.baseUrl())
                                .projectApiKey(posthog.projectApiKey())
                                .build())) {
            client.capture().batch(events).join();
        }
    }

    @Test
    void everyPollIsFreshUnlessACachedRefreshModeIsChosen() throws Exception {
        for (String refresh :
                List.of(
                        "",
                        ", 'hogql.refresh' = 'blocking'",
                        ", 'hogql.async-execution' = 'false'")) {
            TableEnvironment env = TableTestSupport.streamingTableEnv();
            String marker = "m" + Math.abs(refresh.hashCode());
            env.executeSql(
                    "CREATE TABLE t_"
                            + marker
                            + " (n BIGINT) WITH ("
                            + options()
                            + ", 'hogql.query' = 'SELECT count() AS n FROM events WHERE event !="
                            + " ''"
                            + marker
                            + "'' LIMIT 1', 'hogql.bounded' = 'true'"
                            + refresh
                            + ")");
            assertThat(collect(env, "SELECT n FROM t_" + marker)).hasSize(1);
            String expected =
                    refresh.isEmpty()
                            ? "force_async"
                            : refresh.contains("blocking'") ? "\"blocking\"" : "force_blocking";
            assertThat(
                            posthog.requests().stream()
                                    .filter(
                                            r ->
                                                    r.method().equals("POST")
                                                            && r.bodyText().contains(marker)))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.bodyText()).contains(expected));
        }
    }

    @Test
    void optionsAreChecked() {
        assertThat(error("id STRING", ""))
                .contains("'hogql.query' is required in 'hogql.mode' snapshot");
        assertThat(
                        error(
                                "id STRING, PRIMARY KEY (id) NOT ENFORCED",
                                ", 'hogql.mode' = 'incremental'"))
                .contains("incremental posthog-hogql table takes none");
        assertThat(error("id STRING", ", 'hogql.query' = 'SELECT 1', 'hogql.page-size' = '0'"))
                .contains("'hogql.page-size' must be in 1..50000");
    }

    private static String error(String columns, String extraOptions) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql("CREATE TABLE h (" + columns + ") WITH (" + options() + extraOptions + ")");
        Throwable error = catchThrowable(() -> env.explainSql("SELECT * FROM h"));
        assertThat(error).isNotNull();
        String text = ExceptionUtils.stringifyException(error);
        assertThat(text).doesNotContain(posthog.personalApiKey());
        return text;
    }

    private static String options() {
        return "'connector' = 'posthog-hogql', 'host' = '"
                + posthog.baseUrl()
                + "', 'personal-api-key' = '"
                + posthog.personalApiKey()
                + "', 'project-id' = '"
                + posthog.projectId()
                + "'";
    }

    private static List<Row> collect(TableEnvironment env, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
