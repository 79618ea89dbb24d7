package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.io.DemoEvents;
import io.github.posthogflink.jobs.pipeline.PipelineJob;
import io.github.posthogflink.jobs.progress.Progress;
import io.github.posthogflink.testkit.PostHogServer;

import org.apache.flink.api.common.JobExecutionResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local run prints a progress line every few seconds (records read, events sent, events/s,
 * pending, dead-lettered), read from the job's own metrics, and ends with its wall time and mean
 * rate. 600 generated events at 100/s take 6 s at least: two progress lines.
 */
@Timeout(120)
class ProgressTest {
    private static final Pattern LINE =
            Pattern.compile(
                    "progress: ([\\d,]+) records read, ([\\d,]+) events sent \\(([\\d,]+)/s\\),"
                            + " ([\\d,]+) pending, ([\\d,]+) dead-lettered");

    @Test
    void aLocalRunPrintsItsProgressThenItsWallTimeAndMeanRate() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (PostHogServer posthog = PostHogServer.builder().build().start()) {
            PipelineOptions options =
                    PipelineOptions.parse(
                            new String[] {
                                "--input", "unused.ndjson",
                                "--posthog-host", posthog.baseUrl(),
                                "--flags", "off",
                                "--persons", "off",
                                "--parallelism", "1"
                            },
                            Map.of("POSTHOG_PROJECT_API_KEY", posthog.projectApiKey()));
            JobRun run = JobRun.create();
            assertThat(run.local()).isTrue();
            PipelineJob.build(run.env(), options, DemoEvents.source(600, 100));

            CompletableFuture<JobExecutionResult> done =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return run.execute("progress", out, true);
                                } catch (Exception e) {
                                    throw new CompletionException(e);
                                }
                            });
            // The sink's own metrics are read while the job runs.
            await().atMost(Duration.ofSeconds(90))
                    .until(
                            () ->
                                    run.progress() != null
                                            && run.progress().snapshot().eventsSent() > 0);
            Progress mid = run.progress().snapshot();
            assertThat(mid.recordsRead()).isGreaterThanOrEqualTo(mid.eventsSent());
            assertThat(mid.eventsOut()).isGreaterThanOrEqualTo(mid.eventsSent());
            JobExecutionResult result = done.get(90, TimeUnit.SECONDS);
            out.println(run.timing(result));
        }

        String printed = bytes.toString(StandardCharsets.UTF_8);
        List<long[]> lines = new ArrayList<>();
        Matcher m = LINE.matcher(printed);
        while (m.find()) {
            lines.add(
                    new long[] {
                        number(m.group(1)),
                        number(m.group(2)),
                        number(m.group(4)),
                        number(m.group(5))
                    });
        }
        System.out.println(printed);
        assertThat(lines).as(printed).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i)[0])
                    .as("records read never go down")
                    .isGreaterThanOrEqualTo(lines.get(i - 1)[0]);
        }
        long[] last = lines.get(lines.size() - 1);
        assertThat(last[0]).isBetween(1L, 600L);
        assertThat(last[1]).as("events sent").isLessThanOrEqualTo(last[0]);
        assertThat(printed)
                .containsPattern(
                        "wall time: \\d+\\.\\d s \\(job runtime \\d+\\.\\d s\\), mean rate: [\\d,]+"
                                + " events/s");
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
