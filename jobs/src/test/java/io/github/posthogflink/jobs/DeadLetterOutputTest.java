package io.github.posthogflink.jobs;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.jobs.io.RawRecord;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What does not reach PostHog reaches the dead-letter output with its reason: a line over the
 * reader's 16 MiB limit ({@code too_large}, without failing the job), events the sink's rules
 * refuse ({@code posthog_oversized}, {@code posthog_invalid_event}, caught before the sink), and an
 * event PostHog itself refuses with a 400 ({@code posthog_rejected}, from the sink's error
 * handler).
 */
@Timeout(180)
class DeadLetterOutputTest {
    private static PostHogServer posthog;

    @TempDir Path dir;

    @BeforeAll
    static void startPostHog() {
        posthog = PostHogServer.builder().build().start();
    }

    @AfterAll
    static void stopPostHog() {
        posthog.close();
    }

    @BeforeEach
    void clean() {
        posthog.faults().clear();
        posthog.reset();
    }

    @Test
    void oversizedLinesAndEventsTheSinkRefusesAreDeadLettered() throws Exception {
        Path input = dir.resolve("events.ndjson");
        long hugeLineBytes = 17L * 1024 * 1024;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input))) {
            out.write(line("{\"event\":\"first\",\"distinct_id\":\"u1\"}"));
            // Line 2: 17 MB, over the reader's 16 MiB limit; a multi-byte character at the cut.
            String head =
                    "{\"event\":\"huge line\",\"distinct_id\":\"u2\",\"properties\":{\"b\":\"";
            out.write(head.getBytes(StandardCharsets.UTF_8));
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            long written = head.length();
            while (written < hugeLineBytes - 3) {
                out.write(euro);
                written += euro.length;
            }
            out.write("\"}}".getBytes(StandardCharsets.UTF_8));
            written += 3;
            out.write('\n');
            out.write(
                    line(
                            "{\"event\":\"huge"
                                    + " props\",\"distinct_id\":\"u3\",\"properties\":{\"b\":\""
                                    + "x".repeat(1_500_000)
                                    + "\"}}"));
            out.write(line("{\"event\":\"numeric ts\",\"distinct_id\":\"u4\",\"timestamp\":12}"));
            out.write(line("{\"event\":\"last\",\"distinct_id\":\"u5\"}"));
            hugeLineBytes = written;
        }
        Path deadLetters = dir.resolve("dead.ndjson");

        PipelineRun run =
                PipelineRun.against(
                        posthog,
                        "--input",
                        input.toString(),
                        "--dead-letter",
                        deadLetters.toString(),
                        "--flags",
                        "off",
                        "--persons",
                        "off");

        Map<String, JsonNode> bySource =
                PipelineRun.readJsonLines(deadLetters).stream()
                        .collect(
                                Collectors.toMap(
                                        d -> d.path("source").asText(), Function.identity()));
        String file = "file:" + input + ":";
        assertThat(bySource.keySet()).containsExactlyInAnyOrder(file + 2, file + 3, file + 4);
        JsonNode tooLarge = bySource.get(file + 2);
        assertThat(tooLarge.path("reason").asText()).isEqualTo("too_large");
        assertThat(tooLarge.path("size").asLong()).isEqualTo(hugeLineBytes);
        assertThat(tooLarge.path("payload_truncated").asBoolean()).isTrue();
        assertThat(tooLarge.path("payload").asText())
                .startsWith("{\"event\":\"huge line\"")
                .endsWith("€");
        assertThat(tooLarge.path("payload").asText().getBytes(StandardCharsets.UTF_8).length)
                .isBetween(RawRecord.OVERSIZED_PREFIX_BYTES - 3, RawRecord.OVERSIZED_PREFIX_BYTES);

        JsonNode oversized = bySource.get(file + 3);
        assertThat(oversized.path("reason").asText()).isEqualTo("posthog_oversized");
        assertThat(oversized.path("uuid").asText())
                .isEqualTo(EventUuids.fromIdentity(file + 3).toString());
        assertThat(oversized.path("payload").asText()).contains("huge props");
        assertThat(bySource.get(file + 4).path("reason").asText())
                .isEqualTo("posthog_invalid_event");
        assertThat(bySource.get(file + 4).path("detail").asText()).contains("timestamp");

        assertThat(posthog.dedupedEvents())
                .extracting(CapturedEvent::event)
                .containsExactlyInAnyOrder("first", "last");
        // records in = events out + dead-lettered; the sink's refusals are counted apart.
        assertThat(run.out())
                .contains(
                        "records in: 5",
                        "dead-lettered: 1",
                        "events out: 4",
                        "refused for capture: 2");
    }

    @Test
    void anEventPostHogRefusesReachesTheDeadLetterFile() throws Exception {
        Path input = dir.resolve("one.ndjson");
        Files.write(input, line("{\"event\":\"refused\",\"distinct_id\":\"u1\"}"));
        Path deadLetters = dir.resolve("dead.ndjson");
        // a letter of an earlier run stays: the file is only appended to (a truncating first
        // attempt of its sink could also erase a refusal the PostHog sink wrote before it started)
        Files.write(deadLetters, line("{\"reason\":\"earlier_run\"}"));
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).status(400).times(1));

        PipelineRun.against(
                posthog,
                "--input",
                input.toString(),
                "--dead-letter",
                deadLetters.toString(),
                "--flags",
                "off",
                "--persons",
                "off");

        assertThat(posthog.dedupedEvents()).isEmpty();
        List<JsonNode> letters = PipelineRun.readJsonLines(deadLetters);
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).path("reason").asText()).isEqualTo("earlier_run");
        JsonNode refused = letters.get(1);
        assertThat(refused.path("reason").asText()).isEqualTo("posthog_rejected");
        assertThat(refused.path("uuid").asText())
                .isEqualTo(EventUuids.fromIdentity("file:" + input + ":1").toString());
        assertThat(refused.path("payload").asText()).contains("\"refused\"");
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
