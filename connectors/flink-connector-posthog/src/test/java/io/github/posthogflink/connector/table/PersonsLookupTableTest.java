package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lookup joins against a {@code posthog-persons} table, served by the testkit. */
class PersonsLookupTableTest {
    private static final int KEYS = 60;
    private static final int ROWS = 600;

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void seed() {
        posthog.reset();
        for (int i = 0; i < KEYS; i += 2) {
            posthog.seed()
                    .createPerson("user-" + i, Map.of("plan", i % 4 == 0 ? "pro" : "free", "n", i));
        }
    }

    @Test
    void leftJoinAttachesPersonsAndCachesEachKeyOnce() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons (distinct_id STRING, id STRING, uuid STRING, distinct_ids"
                        + " ARRAY<STRING>, properties MAP<STRING, STRING>, created_at"
                        + " TIMESTAMP_LTZ(3)) WITH ("
                        + TableTestSupport.personsOptions(posthog)
                        + ", 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' ="
                        + " '1000', 'lookup.partial-cache.expire-after-write' = '1h',"
                        + " 'lookup.partial-cache.cache-missing-key' = 'true')");
        env.executeSql(
                "CREATE TABLE gen (seq INT, pt AS PROCTIME()) WITH ('connector' = 'datagen',"
                        + " 'fields.seq.kind' = 'sequence', 'fields.seq.start' = '0',"
                        + " 'fields.seq.end' = '"
                        + (ROWS - 1)
                        + "')");
        env.executeSql(
                "CREATE TEMPORARY VIEW events AS SELECT seq, 'user-' || CAST(MOD(seq, "
                        + KEYS
                        + ") AS STRING) AS distinct_id, pt FROM gen");
        List<Row> rows =
                collect(
                        env,
                        "SELECT e.seq, e.distinct_id, p.properties['plan'], p.properties['n'],"
                                + " p.uuid, p.distinct_ids, p.created_at FROM events AS e LEFT JOIN"
                                + " persons FOR SYSTEM_TIME AS OF e.pt AS p ON e.distinct_id ="
                                + " p.distinct_id");

        assertThat(rows).hasSize(ROWS);
        for (Row row : rows) {
            int n = (Integer) row.getField(0) % KEYS;
            if (n % 2 == 0) {
                assertThat(row.getField(2))
                        .as(row.toString())
                        .isEqualTo(n % 4 == 0 ? "pro" : "free");
                assertThat(row.getField(3)).as("non-string values as JSON").isEqualTo("" + n);
                assertThat(row.getField(4)).isNotNull();
                assertThat((String[]) row.getField(5)).contains("user-" + n);
                assertThat(row.getField(6)).isInstanceOf(Instant.class);
            } else {
                assertThat(row.getField(2)).as(row.toString()).isNull();
                assertThat(row.getField(4)).isNull();
            }
        }
        List<String> asked = new ArrayList<>();
        for (RecordedRequest request : batchRequests()) {
            Json.tree(request.body()).path("distinct_ids").forEach(id -> asked.add(id.asText()));
        }
        assertThat(asked).as("each key asked once: Flink's partial cache").hasSize(KEYS);
        assertThat(new HashSet<>(asked)).hasSize(KEYS);
        assertThat(batchRequests()).hasSizeLessThan(KEYS / 2);
    }

    @Test
    void innerJoinByEmailDropsUnknownKeys() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons (email STRING, id STRING, properties STRING) WITH ("
                        + TableTestSupport.personsOptions(posthog)
                        + ", 'persons.lookup-by' = 'email')");
        posthog.seed().createPerson("mail-1", Map.of("email", "one@example.com", "x", 1));
        posthog.seed().createPerson("mail-2", Map.of("email", "two@example.com", "x", 2));
        env.executeSql(
                "CREATE TEMPORARY VIEW signups AS SELECT mail, PROCTIME() AS pt FROM (VALUES"
                        + " ('one@example.com'), ('nobody@example.com'), ('two@example.com'))"
                        + " AS t(mail)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT s.mail, p.properties FROM signups AS s JOIN persons FOR"
                                + " SYSTEM_TIME AS OF s.pt AS p ON s.mail = p.email");
        Set<String> mails =
                rows.stream().map(r -> (String) r.getField(0)).collect(Collectors.toSet());
        assertThat(mails).containsExactlyInAnyOrder("one@example.com", "two@example.com");
        assertThat(rows)
                .allSatisfy(
                        r ->
                                assertThat(
                                                Json.MAPPER
                                                        .readTree((String) r.getField(1))
                                                        .path("x")
                                                        .asInt())
                                        .isIn(1, 2));
    }

    @Test
    void lookupMaxRetriesRetriesAFailedLookupRequest() throws Exception {
        posthog.faults()
                .add(
                        FaultRule.matching(
                                        RouteMatcher.pathRegex(".*/persons/batch_by_distinct_ids/"))
                                .status(503)
                                .times(2));
        List<Row> rows = joinOneKey(2);

        assertThat(rows).extracting(r -> r.getField(1)).containsExactly("p1");
        assertThat(batchRequests())
                .extracting(RecordedRequest::status)
                .containsExactly(503, 503, 200);
    }

    @Test
    void withoutLookupRetriesAFailedRequestFailsTheQuery() {
        posthog.faults()
                .add(
                        FaultRule.matching(
                                        RouteMatcher.pathRegex(".*/persons/batch_by_distinct_ids/"))
                                .status(503)
                                .times(1));

        assertThatThrownBy(() -> joinOneKey(0)).hasStackTraceContaining("503");
        assertThat(batchRequests()).extracting(RecordedRequest::status).containsExactly(503);
    }

    /** Joins one key (a seeded person) with client retries off and this many lookup retries. */
    private List<Row> joinOneKey(int lookupRetries) throws Exception {
        posthog.seed().createPerson("retry-1", Map.of("plan", "p1"));
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons (distinct_id STRING, id STRING, properties STRING) WITH ("
                        + TableTestSupport.personsOptions(posthog)
                        + ", 'client.max-retries' = '0', 'lookup.max-retries' = '"
                        + lookupRetries
                        + "')");
        env.executeSql(
                "CREATE TEMPORARY VIEW ids AS SELECT did, PROCTIME() AS pt FROM (VALUES"
                        + " ('retry-1')) AS t(did)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT i.did, p.properties FROM ids AS i JOIN persons FOR SYSTEM_TIME AS"
                                + " OF i.pt AS p ON i.did = p.distinct_id");
        List<Row> plans = new ArrayList<>();
        for (Row row : rows) {
            plans.add(
                    Row.of(
                            row.getField(0),
                            Json.MAPPER.readTree((String) row.getField(1)).path("plan").asText()));
        }
        return plans;
    }

    private static List<Row> collect(TableEnvironment env, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static List<RecordedRequest> batchRequests() {
        return posthog.requests().stream()
                .filter(r -> r.path().endsWith("/persons/batch_by_distinct_ids/"))
                .toList();
    }
}
