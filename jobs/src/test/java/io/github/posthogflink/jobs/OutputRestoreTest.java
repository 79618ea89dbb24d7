package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.io.DemoEvents;
import io.github.posthogflink.jobs.pipeline.PipelineJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --output FILE} across a stop-with-savepoint and a restore on a local MiniCluster: the
 * restored job appends, so the lines written before the savepoint stay and the file ends with every
 * event once. (Truncating on every first attempt lost them.)
 */
@Timeout(240)
class OutputRestoreTest {
    private static final int EVENTS = 2_000;

    @TempDir Path dir;

    @Test
    void aJobRestoredFromASavepointKeepsTheLinesWrittenBeforeIt() throws Exception {
        Path output = dir.resolve("enriched.ndjson");
        Path savepoints = dir.resolve("savepoints");

        JobClient first = submit(output, new Configuration());
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> lines(output) >= 200);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        first.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        List<String> beforeRestore = Files.readAllLines(output);
        assertThat(beforeRestore.size()).as("stopped mid-stream").isLessThan(EVENTS - 10);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        submit(output, restore).getJobExecutionResult().get(120, TimeUnit.SECONDS);

        List<String> all = Files.readAllLines(output);
        assertThat(all.subList(0, beforeRestore.size()))
                .as("the lines written before the savepoint")
                .isEqualTo(beforeRestore);
        Set<String> uuids = new HashSet<>();
        for (JsonNode event : PipelineRun.readJsonLines(output)) {
            uuids.add(event.path("uuid").asText());
        }
        // DemoEvents breaks one record in 500 on purpose: those are dead letters, not output
        int valid = EVENTS - EVENTS / 500;
        assertThat(uuids).as("every event in the output").hasSize(valid);
        assertThat(all).as("each once: the savepoint is exact").hasSize(valid);
    }

    private static JobClient submit(Path output, Configuration configuration) throws Exception {
        PipelineOptions options =
                PipelineOptions.parse(
                        new String[] {
                            "--input", "unused.ndjson",
                            "--posthog-host", "http://127.0.0.1:1",
                            "--sink", "none",
                            "--flags", "off",
                            "--persons", "off",
                            "--output", output.toString(),
                            "--parallelism", "1",
                            "--checkpoint-interval", "1s"
                        },
                        Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(configuration);
        PipelineJob.build(env, options, DemoEvents.source(EVENTS, 200));
        return env.executeAsync("output restore");
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }
}
