package io.github.posthogflink.jobs;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** NDJSON file in, persons, PostHog and file out, dead letters: end to end on a MiniCluster. */
@Timeout(180)
class FilePipelineTest {
    private static final int VALID = 300;
    private static PostHogServer posthog;

    @TempDir Path dir;

    @BeforeAll
    static void startPostHog() {
        posthog = PostHogServer.builder().build().start();
        posthog.seed().createPerson("user-1", Map.of("plan", "pro"));
        posthog.seed().createPerson("user-2", Map.of("plan", "free"));
    }

    @AfterAll
    static void stopPostHog() {
        posthog.close();
    }

    @Test
    void enrichesSendsAndDeadLettersAFile() throws Exception {
        posthog.reset();
        posthog.seed().createPerson("user-1", Map.of("plan", "pro"));
        posthog.seed().createPerson("user-2", Map.of("plan", "free"));
        posthog.seed().createFlag("always-on", 100);
        posthog.seed().createFlag("never-on", 0);
        Path input = writeInput(dir.resolve("events.ndjson"));
        Path output = dir.resolve("out/enriched.ndjson");
        Path deadLetters = dir.resolve("dead.ndjson");

        PipelineRun run =
                PipelineRun.against(
                        posthog,
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString(),
                        "--dead-letter",
                        deadLetters.toString(),
                        "--parallelism",
                        "2");
        run.assertNoKeysLeaked(posthog);

        List<JsonNode> enriched = PipelineRun.readJsonLines(output);
        List<JsonNode> dead = PipelineRun.readJsonLines(deadLetters);
        // in = out + dead-lettered (the blank line is not a record)
        assertThat(enriched).hasSize(VALID);
        assertThat(dead).hasSize(5);
        assertThat(run.out())
                .contains("records in: " + (VALID + 5), "dead-lettered: 5", "events out: " + VALID);
        assertThat(dead)
                .extracting(d -> d.get("reason").asText() + "@" + d.get("source").asText())
                .containsExactlyInAnyOrder(
                        "invalid_utf8@file:" + input + ":2",
                        "invalid_json@file:" + input + ":3",
                        "missing_event@file:" + input + ":4",
                        "missing_distinct_id@file:" + input + ":6",
                        "invalid_uuid@file:" + input + ":7");
        assertThat(dead.stream().filter(d -> d.has("payload_base64"))).hasSize(1);

        JsonNode first = byDistinctId(enriched, "user-1");
        assertThat(first.get("person").get("properties").get("plan").asText()).isEqualTo("pro");
        assertThat(first.get("person").get("distinct_ids").toString()).contains("user-1");
        assertThat(byDistinctId(enriched, "user-9").get("person").isNull()).isTrue();
        JsonNode line1 =
                enriched.stream()
                        .filter(
                                e ->
                                        e.get("uuid")
                                                .asText()
                                                .equals(
                                                        EventUuids.fromIdentity(
                                                                        "file:" + input + ":1")
                                                                .toString()))
                        .findFirst()
                        .orElseThrow();
        assertThat(line1.get("event").asText()).isEqualTo("first");

        assertThat(run.out()).contains("flag values: " + 2 * VALID);
        assertThat(enriched)
                .allSatisfy(
                        e -> {
                            assertThat(e.at("/properties/$feature~1always-on").asBoolean())
                                    .isTrue();
                            assertThat(e.at("/properties/$feature~1never-on").isBoolean()).isTrue();
                            assertThat(e.at("/properties/$feature~1never-on").asBoolean())
                                    .isFalse();
                            assertThat(e.at("/properties/$active_feature_flags").toString())
                                    .isEqualTo("[\"always-on\"]");
                        });

        List<CapturedEvent> captured = posthog.dedupedEvents();
        assertThat(captured).hasSize(VALID);
        assertThat(captured)
                .allSatisfy(e -> assertThat(e.property("$feature/always-on")).isEqualTo("true"));
        assertThat(captured.stream().map(e -> e.uuid().toString()).collect(Collectors.toSet()))
                .isEqualTo(uuids(enriched));
        assertThat(captured).allSatisfy(e -> assertThat(e.raw().has("person")).isFalse());
    }

    @Test
    void aRerunSendsTheSameUuids() throws Exception {
        posthog.reset();
        Path input = writeInput(dir.resolve("again.ndjson"));
        Path out1 = dir.resolve("run1.ndjson");
        Path out2 = dir.resolve("run2.ndjson");
        PipelineRun.against(
                posthog,
                "--input",
                input.toString(),
                "--output",
                out1.toString(),
                "--persons",
                "off",
                "--flags",
                "off");
        PipelineRun.against(
                posthog,
                "--input",
                input.toString(),
                "--output",
                out2.toString(),
                "--persons",
                "off",
                "--flags",
                "off",
                "--parallelism",
                "1");

        Set<String> first = uuids(PipelineRun.readJsonLines(out1));
        assertThat(uuids(PipelineRun.readJsonLines(out2))).isEqualTo(first);
        assertThat(posthog.events()).hasSize(2 * VALID);
        assertThat(posthog.dedupedEvents()).hasSize(VALID);
        assertThat(posthog.dedupedEvents().stream().map(e -> e.uuid().toString()))
                .containsExactlyInAnyOrderElementsOf(first);
    }

    private static Set<String> uuids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("uuid").asText()).collect(Collectors.toSet());
    }

    private static JsonNode byDistinctId(List<JsonNode> events, String distinctId) {
        return events.stream()
                .filter(e -> e.get("distinct_id").asText().equals(distinctId))
                .findFirst()
                .orElseThrow();
    }

    /**
     * Line 1 valid, 2 invalid UTF-8, 3 broken JSON, 4 no event, 5 blank, 6 no distinct id, 7 bad
     * uuid, then {@code VALID - 1} more valid events.
     */
    private static Path writeInput(Path file) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(
                line(
                        "{\"event\":\"first\",\"distinct_id\":\"user-1\","
                                + "\"timestamp\":\"2026-11-01T10:00:00Z\"}"));
        bytes.writeBytes(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        bytes.writeBytes(line("{\"event\": \"broken\""));
        bytes.writeBytes(line("{\"distinct_id\":\"user-1\"}"));
        bytes.writeBytes(line(""));
        bytes.writeBytes(line("{\"event\":\"x\",\"properties\":{\"a\":1}}"));
        bytes.writeBytes(line("{\"event\":\"x\",\"distinct_id\":\"u\",\"uuid\":\"123\"}"));
        for (int i = 1; i < VALID; i++) {
            String user = "user-" + (i % 10);
            String json =
                    i % 2 == 0
                            ? "{\"event\":\"page\",\"distinct_id\":\"" + user + "\","
                            : "{\"event\":\"page\",\"properties\":{\"distinct_id\":\""
                                    + user
                                    + "\",\"n\":"
                                    + i
                                    + "},";
            bytes.writeBytes(line(json + "\"timestamp\":\"2026-11-01T10:00:00Z\"}"));
        }
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
