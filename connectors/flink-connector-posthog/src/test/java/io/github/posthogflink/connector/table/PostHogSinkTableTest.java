package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** INSERT INTO a {@code posthog} table on a MiniCluster; the testkit receives the events. */
class PostHogSinkTableTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void mapPropertiesTimestampsAndUuidsReachPostHog() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING, properties MAP<STRING,"
                        + " STRING>, `timestamp` TIMESTAMP_LTZ(3), uuid STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ")");
        env.executeSql(
                        "INSERT INTO ph VALUES"
                                + " ('order placed', 'user-1', MAP['total', '12.5', 'currency',"
                                + " 'EUR'], TO_TIMESTAMP_LTZ(1772323200000, 3),"
                                + " '0190e3b4-0000-7000-8000-000000000001'),"
                                + " ('page viewed', 'user-2', MAP['path', '/home'],"
                                + " TO_TIMESTAMP_LTZ(1772323201000, 3), CAST(NULL AS STRING))")
                .await();

        List<CapturedEvent> events = sorted(posthog.events());
        assertThat(events).hasSize(2);
        CapturedEvent order = events.get(0);
        assertThat(order.event()).isEqualTo("order placed");
        assertThat(order.distinctId()).isEqualTo("user-1");
        assertThat(order.property("total")).isEqualTo("12.5");
        assertThat(order.property("currency")).isEqualTo("EUR");
        assertThat(order.property("$lib")).isEqualTo("posthog-flink");
        assertThat(order.timestamp()).isEqualTo(Instant.ofEpochMilli(1772323200000L));
        assertThat(order.uuid()).isEqualTo(UUID.fromString("0190e3b4-0000-7000-8000-000000000001"));

        CapturedEvent page = events.get(1);
        assertThat(page.property("path")).isEqualTo("/home");
        ObjectNode content = Json.MAPPER.createObjectNode();
        content.put("event", "page viewed");
        content.put("distinct_id", "user-2");
        content.putObject("properties").put("path", "/home");
        content.put("timestamp", "2026-03-01T00:00:01Z");
        assertThat(page.uuid())
                .as("uuid derived from the row's content")
                .isEqualTo(EventUuids.fromIdentity(RowDataEventConverter.contentIdentity(content)));
    }

    @Test
    void singleEventEndpointSendsOneEventPerRequest() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.capture-endpoint' = 'single_event')");
        env.executeSql("INSERT INTO ph VALUES ('a', 'user-1'), ('b', 'user-2'), ('c', 'user-3')")
                .await();

        assertThat(posthog.events()).hasSize(3);
        assertThat(posthog.requests())
                .filteredOn(r -> r.method().equals("POST"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/i/v0/e/"));
        env.executeSql(
                "CREATE TABLE batched (event STRING, distinct_id STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.capture-endpoint' = 'single_event', 'sink.batch.max-size' ="
                        + " '10')");
        assertThatThrownBy(() -> env.executeSql("INSERT INTO batched VALUES ('a', 'user-1')"))
                .hasStackTraceContaining("one event per request");
    }

    @Test
    void rowAndJsonColumnsWithPersonPropertiesAndStableUuidsAcrossRuns() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id BIGINT, properties ROW<plan STRING,"
                        + " seats INT, paid BOOLEAN>, `set` STRING, set_once MAP<STRING, STRING>,"
                        + " `timestamp` TIMESTAMP(3)) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.gzip' = 'false', 'sink.historical-migration' = 'true')");
        String insert =
                "INSERT INTO ph VALUES (CAST('$identify' AS STRING), CAST(42 AS BIGINT),"
                        + " ROW('pro', 5, TRUE), '{\"email\":\"a@example.com\",\"age\":31}',"
                        + " MAP['first_seen', 'today'], TIMESTAMP '2026-03-01 10:00:00')";
        env.executeSql(insert).await();
        env.executeSql(insert).await();

        List<CapturedEvent> events = posthog.events();
        assertThat(events).hasSize(2);
        CapturedEvent e = events.get(0);
        assertThat(e.distinctId()).isEqualTo("42");
        assertThat(e.historicalMigration()).isTrue();
        assertThat(e.properties().path("plan").asText()).isEqualTo("pro");
        assertThat(e.properties().path("seats").asInt()).isEqualTo(5);
        assertThat(e.properties().path("paid").asBoolean()).isTrue();
        assertThat(e.properties().path("$set").path("email").asText()).isEqualTo("a@example.com");
        assertThat(e.properties().path("$set").path("age").asInt()).isEqualTo(31);
        assertThat(e.properties().path("$set_once").path("first_seen").asText()).isEqualTo("today");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(events.get(1).uuid()).as("same row, same uuid").isEqualTo(e.uuid());
        assertThat(posthog.dedupedEvents()).hasSize(1);
        assertThat(posthog.person("42")).isPresent();
        assertThat(posthog.person("42").get().properties().path("email").asText())
                .isEqualTo("a@example.com");
    }

    @Test
    void invalidJsonIsDroppedUnderLogAndContinue() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING, properties STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.error-handling' = 'log-and-continue')");
        env.executeSql(
                        "INSERT INTO ph VALUES ('bad', 'u1', '{not json'),"
                                + " ('good', 'u2', '{\"k\": [1, 2]}')")
                .await();
        assertThat(posthog.events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.event()).isEqualTo("good");
                            assertThat(e.properties().path("k").size()).isEqualTo(2);
                        });
    }

    @Test
    void theAsyncSinkOptionsShapeTheRequests() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.batch.max-size' = '3', 'sink.requests.max-inflight' = '1',"
                        + " 'sink.requests.max-buffered' = '20', 'sink.gzip' = 'false',"
                        + " 'sink.parallelism' = '1')");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            values.append(i == 0 ? "" : ", ").append("('e', 'u").append(i).append("')");
        }
        env.executeSql("INSERT INTO ph VALUES " + values).await();

        List<RecordedRequest> batches =
                posthog.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        assertThat(posthog.dedupedEvents()).hasSize(10);
        assertThat(batches).hasSizeGreaterThanOrEqualTo(4);
        for (RecordedRequest batch : batches) {
            assertThat(Json.MAPPER.readTree(batch.body()).get("batch").size()).isBetween(1, 3);
            assertThat(batch.header("Content-Encoding")).isNull();
        }
    }

    @Test
    void invalidJsonGoesToADeadLetterFileWithItsReason(@TempDir Path dir) throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING, properties STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.error-handling' = 'dead-letter-files'"
                        + ", 'sink.dead-letter.path' = '"
                        + dir
                        + "', 'sink.parallelism' = '1')");
        env.executeSql(
                        "INSERT INTO ph VALUES ('bad', 'u1', '{not json'),"
                                + " ('good', 'u2', '{\"k\": 1}')")
                .await();

        assertThat(posthog.events()).extracting(CapturedEvent::event).containsExactly("good");
        List<String> lines = Files.readAllLines(dir.resolve("posthog-dead-letters-0.ndjson"));
        assertThat(lines).hasSize(1);
        JsonNode letter = Json.MAPPER.readTree(lines.get(0));
        assertThat(letter.get("reason").asText()).isEqualTo("posthog_invalid_event");
        assertThat(letter.get("detail").asText()).isNotBlank();
        // the refused row, column by column, its text as written
        JsonNode row = Json.MAPPER.readTree(letter.get("payload").asText());
        assertThat(row.get("event").asText()).isEqualTo("bad");
        assertThat(row.get("distinct_id").asText()).isEqualTo("u1");
        assertThat(row.get("properties").asText()).isEqualTo("{not json");
    }

    @Test
    void deadLetterFilesWithoutAPathAreRefusedAtPlanning() {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.error-handling' = 'dead-letter-files')");

        assertThatThrownBy(() -> env.executeSql("INSERT INTO ph VALUES ('e', 'u1')"))
                .hasStackTraceContaining("sink.dead-letter.path");
    }

    private static List<CapturedEvent> sorted(List<CapturedEvent> events) {
        return events.stream().sorted(Comparator.comparing(CapturedEvent::timestamp)).toList();
    }
}
