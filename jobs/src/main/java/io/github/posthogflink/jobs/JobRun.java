package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.pipeline.PipelineCounters;
import io.github.posthogflink.jobs.progress.ProgressMetrics;
import io.github.posthogflink.jobs.progress.ProgressPrinter;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.util.Locale;
import java.util.UUID;

/**
 * One execution of the pipeline: the environment it runs in (the cluster's when submitted, else a
 * local MiniCluster), progress lines while a local run goes, and its wall time. A local run's
 * environment carries the {@link ProgressMetrics} reporter.
 */
final class JobRun {
    /** {@code execution.target} when the main method runs inside a Flink cluster. */
    static final String EMBEDDED_TARGET = "embedded";

    private final StreamExecutionEnvironment env;
    private final boolean local;
    private final String run = UUID.randomUUID().toString();
    private long wallNanos;

    private JobRun() {
        StreamExecutionEnvironment context = StreamExecutionEnvironment.getExecutionEnvironment();
        this.local = context instanceof LocalStreamEnvironment;
        this.env =
                local
                        ? StreamExecutionEnvironment.createLocalEnvironment(
                                ProgressMetrics.addTo(new Configuration(), run))
                        : context;
    }

    static JobRun create() {
        return new JobRun();
    }

    /** Whether the main method runs inside a Flink cluster (application mode, a REST jar run). */
    static boolean insideCluster() {
        return EMBEDDED_TARGET.equals(
                StreamExecutionEnvironment.getExecutionEnvironment()
                        .getConfiguration()
                        .get(DeploymentOptions.TARGET));
    }

    StreamExecutionEnvironment env() {
        return env;
    }

    boolean local() {
        return local;
    }

    /** The metrics of a local run while it runs; null before its MiniCluster starts, or after. */
    @Nullable
    ProgressMetrics progress() {
        return ProgressMetrics.of(run);
    }

    /** Runs the job; a local run prints its progress to {@code out} meanwhile. */
    JobExecutionResult execute(String jobName, PrintStream out, boolean sinkToPostHog)
            throws Exception {
        long start = System.nanoTime();
        ProgressPrinter progress = local ? ProgressPrinter.start(run, out, sinkToPostHog) : null;
        try {
            return env.execute(jobName);
        } finally {
            if (progress != null) {
                progress.close();
            }
            wallNanos = System.nanoTime() - start;
        }
    }

    /** The wall time of {@link #execute}, and the mean rate of events out over it. */
    String timing(JobExecutionResult result) {
        double seconds = wallNanos / 1e9;
        long events = PipelineRunner.count(result, PipelineCounters.EVENTS_OUT);
        return String.format(
                Locale.ROOT,
                "wall time: %.1f s (job runtime %.1f s), mean rate: %,.0f events/s",
                seconds,
                result.getNetRuntime() / 1000.0,
                seconds > 0 ? events / seconds : 0);
    }
}
