package io.github.posthogflink.reliability;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.reliability.BadInputCorpusTest.Expectation;
import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus through the pipeline jar on the session cluster: every line ends as its
 * table says (delivered once with its uuid, or dead-lettered with its reason, never sent), and the
 * job finishes. The corpus files are concatenated into one input file, with two generated lines at
 * the end: a 1.5 MB event (refused by the sink's size rule) and a 17 MB line (over the reader's
 * line limit). Nothing ends only in a log: what PostHog does not get is a dead letter.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HUGE_UUID = "0193a000-0000-7000-8000-000000000901";

    private static ReliabilityCluster cluster;
    private static String pipelineJarId;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("pipeline-bad-input", 1);
        pipelineJarId = cluster.flink.rest().uploadJar(HarnessSettings.pipelineJar());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyBadLineEndsAsTheTableSays() throws Exception {
        Path dir = cluster.flink.layout().root().resolve("bad-input");
        Files.createDirectories(dir);
        Path input = dir.resolve("corpus.ndjson");
        Path deadLetterFile = dir.resolve("dead-letters.ndjson");
        Map<Integer, Expectation> byLine = writeCorpus(input);

        String jobId =
                cluster.flink
                        .rest()
                        .runJar(
                                pipelineJarId,
                                JarRun.of(
                                        PipelineEvents.PIPELINE_MAIN,
                                        List.of(
                                                "--input",
                                                input.toString(),
                                                "--posthog-host",
                                                cluster.posthog.baseUrl(),
                                                "--dead-letter",
                                                deadLetterFile.toString(),
                                                "--persons",
                                                "off",
                                                "--flags",
                                                "off")));
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(2), "FINISHED");

        Map<String, String> deadLetters = new HashMap<>();
        for (String line : Files.readAllLines(deadLetterFile, StandardCharsets.UTF_8)) {
            JsonNode letter = JSON.readTree(line);
            deadLetters.put(letter.path("source").asText(), letter.path("reason").asText());
        }
        Map<UUID, List<CapturedEvent>> delivered = new HashMap<>();
        for (CapturedEvent event : cluster.posthog.dedupedEvents()) {
            delivered.computeIfAbsent(event.uuid(), u -> new ArrayList<>()).add(event);
        }

        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<Integer, Expectation> entry : byLine.entrySet()) {
            Expectation e = entry.getValue();
            String position = "file:" + input + ":" + entry.getKey();
            String where = e.file() + ":" + e.line() + " (" + e.note() + ")";
            String deadReason = deadLetters.get(position);
            UUID derived = EventUuids.fromIdentity(position);
            String[] outcome = e.outcome().split(":", 2);
            switch (outcome[0]) {
                case "dead_letter" -> {
                    if (!outcome[1].equals(deadReason)) {
                        mismatches.add(
                                where
                                        + ": expected dead letter "
                                        + outcome[1]
                                        + ", got "
                                        + (deadReason == null ? "none" : deadReason)
                                        + (delivered.containsKey(derived)
                                                ? " and it was delivered"
                                                : ""));
                    }
                }
                case "deliver" -> {
                    UUID uuid =
                            outcome[1].equals("position") ? derived : UUID.fromString(outcome[1]);
                    List<CapturedEvent> copies = delivered.getOrDefault(uuid, List.of());
                    if (copies.size() != 1 || deadReason != null) {
                        mismatches.add(
                                where
                                        + ": expected delivered once, got "
                                        + copies.size()
                                        + (deadReason != null
                                                ? ", dead letter " + deadReason
                                                : ""));
                    }
                }
                default -> throw new IllegalStateException("unknown outcome " + e.outcome());
            }
        }
        if (delivered.containsKey(UUID.fromString(HUGE_UUID))) {
            mismatches.add("generated:huge-properties: delivered although over 1 MiB");
        }
        // PostHog-side handling of what was delivered.
        expectDistinctIdLength(delivered, "701", 200, mismatches);
        expectDistinctId(delivered, "802", "nul\uFFFDid", mismatches);
        List<CapturedEvent> future = delivered.getOrDefault(uuid("601"), List.of());
        if (future.size() == 1
                && future.get(0).timestamp().isAfter(Instant.now().plus(Duration.ofDays(1)))) {
            mismatches.add("year 2999 stored as " + future.get(0).timestamp());
        }
        assertThat(mismatches).as("lines not handled as the table says").isEmpty();
        Secrets.assertNoKeys("dead letters", Files.readString(deadLetterFile));
    }

    private static UUID uuid(String suffix) {
        return UUID.fromString("0193a000-0000-7000-8000-000000000" + suffix);
    }

    private static void expectDistinctIdLength(
            Map<UUID, List<CapturedEvent>> delivered, String uuid, int length, List<String> out) {
        for (CapturedEvent event : delivered.getOrDefault(uuid(uuid), List.of())) {
            if (event.distinctId().length() != length) {
                out.add(uuid + ": distinct_id of " + event.distinctId().length() + " characters");
            }
        }
    }

    private static void expectDistinctId(
            Map<UUID, List<CapturedEvent>> delivered, String uuid, String id, List<String> out) {
        for (CapturedEvent event : delivered.getOrDefault(uuid(uuid), List.of())) {
            if (!event.distinctId().equals(id)) {
                out.add(uuid + ": distinct_id " + event.distinctId());
            }
        }
    }

    /** Writes every committed corpus line, then the generated ones; returns line → expectation. */
    private static Map<Integer, Expectation> writeCorpus(Path input) throws Exception {
        Map<Integer, Expectation> byLine = new LinkedHashMap<>();
        int lineNumber = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input))) {
            for (Expectation e : BadInputCorpusTest.expectations()) {
                if (e.file().equals("generated:huge-properties")) {
                    out.write(hugeEvent());
                } else if (e.file().equals("generated:huge-line")) {
                    writeHugeLine(out);
                } else {
                    out.write(BadInputCorpusTest.lines(e.file()).get(e.line() - 1));
                }
                out.write('\n');
                byLine.put(++lineNumber, e);
            }
        }
        return byLine;
    }

    /** A 17 MB line: a valid event, but over the reader's 16 MiB line limit. */
    private static void writeHugeLine(OutputStream out) throws Exception {
        out.write(
                "{\"event\":\"huge line\",\"distinct_id\":\"bad-input\",\"properties\":{\"b\":\""
                        .getBytes(StandardCharsets.UTF_8));
        byte[] chunk = "x".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 17; i++) {
            out.write(chunk);
        }
        out.write("\"}}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hugeEvent() throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "huge properties");
        event.put("distinct_id", "bad-input");
        event.put("uuid", HUGE_UUID);
        event.put("timestamp", "2026-11-27T12:00:00Z");
        event.putObject("properties").put("blob", "x".repeat(1_500_000));
        return JSON.writeValueAsBytes(event);
    }
}
