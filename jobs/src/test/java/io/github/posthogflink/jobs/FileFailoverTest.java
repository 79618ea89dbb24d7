package io.github.posthogflink.jobs;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file job that fails mid-stream (PostHog answers 401 once) restarts from its last checkpoint:
 * the file is read again from the start and the records already emitted are skipped, so the line
 * numbers, and the uuids derived from them, stay the same. PostHog ends up with exactly the
 * expected uuids.
 */
@Timeout(240)
class FileFailoverTest {
    private static final int LINES = 60_000;

    @TempDir Path dir;

    @Test
    void restartFromACheckpointKeepsTheUuids() throws Exception {
        try (PostHogServer posthog = PostHogServer.builder().build().start()) {
            Path input = dir.resolve("events.ndjson");
            StringBuilder text = new StringBuilder();
            Set<String> expected = new HashSet<>();
            for (int line = 1; line <= LINES; line++) {
                if (line % 100 == 0) {
                    text.append("{\"event\":\"broken\"}\n");
                    continue;
                }
                text.append("{\"event\":\"tick\",\"distinct_id\":\"u")
                        .append(line % 17)
                        .append("\",\"timestamp\":\"2026-11-03T12:00:00Z\"}\n");
                expected.add(EventUuids.fromIdentity("file:" + input + ":" + line).toString());
            }
            Files.writeString(input, text, StandardCharsets.UTF_8);

            // The 11th batch is refused (401 fails the job): about a third of the way, after
            // checkpoints every 200 ms.
            FaultRule unauthorized =
                    posthog.faults()
                            .add(
                                    FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                            .status(401)
                                            .afterPassing(10)
                                            .times(1));
            PipelineRun.against(
                    posthog,
                    "--input",
                    input.toString(),
                    "--flags",
                    "off",
                    "--persons",
                    "off",
                    "--parallelism",
                    "1",
                    "--checkpoint-interval",
                    "200ms");

            assertThat(unauthorized.firedCount()).isEqualTo(1);
            Set<String> captured =
                    posthog.dedupedEvents().stream()
                            .map(e -> e.uuid().toString())
                            .collect(Collectors.toSet());
            assertThat(captured).hasSize(expected.size()).isEqualTo(expected);
        }
    }
}
