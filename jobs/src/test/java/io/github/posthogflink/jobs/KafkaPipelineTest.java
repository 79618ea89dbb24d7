package io.github.posthogflink.jobs;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.DeadLetter;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.sink.RejectReason;
import io.github.posthogflink.jobs.io.DeadLetterDestination;
import io.github.posthogflink.jobs.io.KafkaConnection;
import io.github.posthogflink.jobs.pipeline.SinkDeadLetters;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka in (a real in-process KRaft broker), HogQL join, remote flags, persons, PostHog out and
 * Kafka out, dead letters to a topic: end to end on a MiniCluster, bounded at the latest offsets.
 */
@Timeout(240)
class KafkaPipelineTest {
    private static final int EVENTS = 400;
    private static KafkaBroker kafka;
    private static PostHogServer posthog;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        posthog = PostHogServer.builder().build().start();
        posthog.seed().createFlag("half", 50);
        posthog.seed().createFlag("other", 100);
        // history for the HogQL join: users 0..4 have 3 earlier events each
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(posthog.baseUrl())
                        .projectApiKey(posthog.projectApiKey())
                        .build();
        try (PostHogClient client = PostHogClient.create(config)) {
            List<PostHogEvent> earlier = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                earlier.add(
                        PostHogEvent.builder("earlier", "user-" + (i % 5))
                                .timestamp(Instant.parse("2026-10-01T00:00:00Z"))
                                .build());
            }
            PostHogClient.await(client.capture().batch(earlier));
        }
        for (int i = 0; i < 5; i++) {
            posthog.seed().createPerson("user-" + i, Map.of("plan", i % 2 == 0 ? "pro" : "free"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        posthog.close();
        kafka.close();
    }

    @Test
    void kafkaPropertiesReachTheSourceAndStayOutOfLogs(@TempDir Path dir) throws Exception {
        kafka.createTopic("tx-events", 1);
        kafka.produceInTransaction("tx-events", txEvents("tx committed", 0, 5), true);
        kafka.produceInTransaction("tx-events", txEvents("tx aborted", 5, 3), false);
        kafka.produceInTransaction("tx-events", txEvents("tx committed", 8, 2), true);
        Path properties = dir.resolve("kafka.properties");
        Files.writeString(
                properties,
                "isolation.level=read_committed\n"
                        + "# read only with security.protocol=SSL: a secret that must not leak\n"
                        + "ssl.key.password=kafka-secret-do-not-print\n");

        PipelineRun readCommitted = txRun("tx-committed", "--kafka-properties", properties);
        assertThat(txNames()).containsOnly(Map.entry("tx committed", 7L));
        PipelineRun readUncommitted = txRun("tx-uncommitted");
        assertThat(txNames())
                .as("Kafka's default, read_uncommitted, also reads the aborted records")
                .containsOnly(Map.entry("tx committed", 7L), Map.entry("tx aborted", 3L));

        Path log = Path.of("target/test-logs/jobs.log");
        String logged = Files.exists(log) ? Files.readString(log) : "";
        for (String text : List.of(readCommitted.out(), readCommitted.err(), logged)) {
            assertThat(text).doesNotContain("kafka-secret-do-not-print");
        }
        assertThat(readUncommitted.out()).contains("records in: 10");
    }

    private static List<byte[]> txEvents(String name, int from, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(
                    ("{\"event\":\""
                                    + name
                                    + "\",\"distinct_id\":\"tx-"
                                    + i
                                    + "\",\"timestamp\":\"2026-11-02T08:00:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static PipelineRun txRun(String group, Object... extra) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka-bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--kafka-topic",
                                "tx-events",
                                "--kafka-group-id",
                                group,
                                "--bounded",
                                "--flags",
                                "off",
                                "--persons",
                                "off"));
        for (Object e : extra) {
            args.add(e.toString());
        }
        return PipelineRun.against(posthog, args.toArray(String[]::new));
    }

    /** Deduplicated events named tx..., counted by name. */
    private static Map<String, Long> txNames() {
        return posthog.dedupedEvents().stream()
                .map(CapturedEvent::event)
                .filter(name -> name.startsWith("tx "))
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
    }

    @Test
    void kafkaInPostHogAndKafkaOut() throws Exception {
        kafka.createTopic("events", 3);
        kafka.createTopic("enriched", 2);
        kafka.createTopic("dead", 1);
        List<byte[]> values = new ArrayList<>();
        int invalid = 0;
        for (int i = 0; i < EVENTS; i++) {
            String json;
            if (i % 50 == 7) {
                json = "{\"event\":\"no id\"}";
                invalid++;
            } else if (i % 50 == 8) {
                json = "not json";
                invalid++;
            } else {
                json =
                        "{\"event\":\"view\",\"distinct_id\":\"user-"
                                + (i % 10)
                                + "\",\"timestamp\":\"2026-11-02T08:00:00Z\","
                                + "\"properties\":{\"i\":"
                                + i
                                + "}}";
            }
            values.add(json.getBytes(StandardCharsets.UTF_8));
        }
        kafka.produce("events", values);
        int valid = EVENTS - invalid;

        PipelineRun run =
                PipelineRun.against(
                        posthog,
                        "--kafka-bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--kafka-topic",
                        "events",
                        "--kafka-group-id",
                        "pipeline-test",
                        "--bounded",
                        "--output-kafka-topic",
                        "enriched",
                        "--dead-letter-topic",
                        "dead",
                        "--flags",
                        "remote",
                        "--flag-keys",
                        "half",
                        "--hogql-join",
                        "SELECT distinct_id, count() AS earlier_events FROM events"
                                + " GROUP BY distinct_id",
                        "--parallelism",
                        "2",
                        "--checkpoint-interval",
                        "2s");
        run.assertNoKeysLeaked(posthog);
        assertThat(run.out())
                .contains(
                        "flag values: " + valid,
                        "records in: " + EVENTS,
                        "dead-lettered: " + invalid,
                        "events out: " + valid);

        List<ConsumerRecord<byte[], byte[]>> enriched =
                kafka.consume("enriched", valid, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.consume("dead", invalid, Duration.ofSeconds(30));
        // in = out + dead-lettered
        assertThat(enriched).hasSize(valid);
        assertThat(dead).hasSize(invalid);
        assertThat(enriched.size() + dead.size()).isEqualTo(EVENTS);

        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : enriched) {
            JsonNode event = Json.MAPPER.readTree(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(event.get("distinct_id").asText());
            events.add(event);
        }
        // remote evaluation of one flag: present on every event, the same for each distinct id
        Map<String, Set<Boolean>> half = new java.util.HashMap<>();
        for (JsonNode event : events) {
            assertThat(event.at("/properties/$feature~1other").isMissingNode()).isTrue();
            half.computeIfAbsent(event.get("distinct_id").asText(), k -> new java.util.HashSet<>())
                    .add(event.at("/properties/$feature~1half").asBoolean());
        }
        assertThat(half).hasSize(10).allSatisfy((id, seen) -> assertThat(seen).hasSize(1));
        assertThat(half.values().stream().flatMap(Set::stream).distinct()).hasSize(2);
        assertThat(events)
                .filteredOn(e -> e.get("distinct_id").asText().equals("user-2"))
                .allSatisfy(
                        e -> assertThat(e.at("/person/properties/plan").asText()).isEqualTo("pro"));
        // HogQL join: the snapshot taken before any event was joined (earlier events only)
        assertThat(events)
                .allSatisfy(
                        e -> {
                            int user = Integer.parseInt(e.get("distinct_id").asText().substring(5));
                            JsonNode joined = e.at("/properties/earlier_events");
                            if (user < 5) {
                                assertThat(joined.asLong()).isEqualTo(3);
                            } else {
                                assertThat(joined.isMissingNode()).isTrue();
                            }
                        });
        assertThat(events)
                .filteredOn(e -> e.get("distinct_id").asText().equals("user-7"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("person").isNull()).isTrue());

        // uuids derived from topic/partition/offset, as the sink documents
        Set<String> expectedUuids = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : enriched) {
            expectedUuids.add(Json.MAPPER.readTree(record.value()).get("uuid").asText());
        }
        Set<String> positions =
                dead.stream()
                        .map(r -> readTree(r.value()).get("source").asText())
                        .collect(Collectors.toSet());
        assertThat(positions).allMatch(p -> p.matches("kafka:events/[0-2]/\\d+"));
        assertThat(expectedUuids).hasSize(valid);
        assertThat(expectedUuids).contains(EventUuids.fromIdentity("kafka:events/0/0").toString());

        List<CapturedEvent> captured =
                posthog.dedupedEvents().stream().filter(e -> e.event().equals("view")).toList();
        assertThat(captured.stream().map(e -> e.uuid().toString()).collect(Collectors.toSet()))
                .isEqualTo(expectedUuids);
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sinkRefusalsGoToTheDeadLetterTopicThroughOneProducerPerWriter() throws Exception {
        kafka.createTopic("refused", 1);
        SinkDeadLetters handler =
                new SinkDeadLetters(
                        DeadLetterDestination.kafka(
                                KafkaConnection.of(kafka.bootstrapServers()), "refused"));
        handler.open(null);
        for (int i = 0; i < 3; i++) {
            handler.onRejected(
                    new DeadLetter(
                            "0190a4c2-7b3e-7abc-8def-00000000000" + i,
                            "e",
                            RejectReason.REJECTED_BY_POSTHOG,
                            "400",
                            "{}".getBytes(StandardCharsets.UTF_8)));
        }
        handler.close();

        List<ConsumerRecord<byte[], byte[]>> refused =
                kafka.consume("refused", 3, Duration.ofSeconds(30));
        assertThat(refused).hasSize(3);
        assertThat(refused)
                .allSatisfy(
                        r ->
                                assertThat(Json.tree(r.value()).path("reason").asText())
                                        .isEqualTo("posthog_rejected"));
    }
}
