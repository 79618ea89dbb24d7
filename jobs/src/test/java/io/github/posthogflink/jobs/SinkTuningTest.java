package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.failure.ExitCode;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture options reach the sink: {@code --batch-size} bounds the events per request, {@code
 * --historical-migration} marks every batch, {@code --max-retries 0} fails the job at the first 503
 * with the UNREACHABLE exit code.
 */
@Timeout(240)
class SinkTuningTest {
    private static final int EVENTS = 100;

    private static PostHogServer posthog;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        posthog = PostHogServer.builder().build().start();
    }

    @AfterAll
    static void stop() {
        posthog.close();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void aBackfillInSmallBatchesGoesThroughPostHogsHistoricalPath() throws Exception {
        PipelineRun run = run("--historical-migration", "--batch-size", "7");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("records in: " + EVENTS);
        assertThat(posthog.dedupedEvents())
                .hasSize(EVENTS)
                .allMatch(CapturedEvent::historicalMigration);
        long batches =
                posthog.requests().stream().filter(r -> r.path().startsWith("/batch")).count();
        assertThat(batches).as("at most 7 events a request").isGreaterThanOrEqualTo(EVENTS / 7 + 1);
    }

    @Test
    void noRetriesFailTheJobAtTheFirstUnavailableAnswer() throws Exception {
        posthog.faults()
                .add(FaultRule.matching(RouteMatcher.path("POST", "/batch/")).status(503).always());

        PipelineRun run = run("--max-retries", "0");

        assertThat(run.code()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(run.err().strip())
                .isEqualTo(
                        "error: PostHog is unavailable: HTTP 503 on POST /batch/: Injected fault."
                                + " (it answers errors or rate-limits this key; try again later,"
                                + " or give the sink longer with --delivery-timeout)");
        assertThat(posthog.requests().stream().filter(r -> r.path().startsWith("/batch")).count())
                .as("one attempt, no retry")
                .isEqualTo(1);
        run.assertNoKeysLeaked(posthog);
    }

    /** The pipeline over {@link #EVENTS} events, without enrichment, with {@code options}. */
    private PipelineRun run(String... options) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--input",
                                input().toString(),
                                "--flags",
                                "off",
                                "--persons",
                                "off",
                                "--parallelism",
                                "1"));
        args.addAll(List.of(options));
        return PipelineRun.attemptAgainst(posthog, args.toArray(String[]::new));
    }

    private Path input() throws Exception {
        Path file = dir.resolve("events.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            lines.append("{\"event\":\"backfilled\",\"distinct_id\":\"u")
                    .append(i % 9)
                    .append("\",\"timestamp\":\"2025-01-0")
                    .append(1 + i % 9)
                    .append("T00:00:00Z\"}\n");
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
