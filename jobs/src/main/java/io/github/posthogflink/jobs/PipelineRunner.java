package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.failure.FailureExplainer;
import io.github.posthogflink.jobs.failure.PipelineFailure;
import io.github.posthogflink.jobs.pipeline.PipelineCounters;
import io.github.posthogflink.jobs.pipeline.PipelineJob;
import io.github.posthogflink.jobs.preflight.Preflight;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.client.program.ProgramAbortException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Map;

/**
 * Parses the options, runs the preflight, then the demo or the pipeline, and turns any failure into
 * its one error line and exit code (needs Flink on the classpath; {@link PipelineMain} checks that
 * first).
 */
final class PipelineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    static final String DEMO_CLASS = "io.github.posthogflink.testkit.PostHogServer";

    private PipelineRunner() {}

    /** Runs the pipeline; never throws, but for Flink's own control flow (plan extraction). */
    static PipelineMain.Outcome run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean verbose = PipelineMain.verbose(args);
        if (verbose) {
            VerboseLogging.apply();
        }
        try {
            runOrThrow(args, env, out);
            return PipelineMain.Outcome.ok();
        } catch (ProgramAbortException flinkControlFlow) {
            throw flinkControlFlow;
        } catch (Throwable failure) {
            PipelineFailure explained = FailureExplainer.explain(failure);
            LOG.debug("posthog-pipeline failed: {}", explained.getMessage(), failure);
            if (verbose) {
                failure.printStackTrace(err);
            }
            err.println(explained.line());
            return new PipelineMain.Outcome(
                    explained.exitCode(), explained, !JobRun.insideCluster());
        }
    }

    private static void runOrThrow(String[] args, Map<String, String> env, PrintStream out)
            throws Exception {
        PipelineOptions options;
        try {
            options = PipelineOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            throw PipelineFailure.usage(e.getMessage());
        }
        if (options.demo()) {
            if (!demoAvailable()) {
                throw PipelineFailure.usage(
                        "the embedded demo needs posthog-pipeline-demo.jar",
                        "give --posthog-host to run against PostHog");
            }
            DemoRunner.run(options, out);
            return;
        }
        if (options.preflight()) {
            out.println(Preflight.run(options));
        }
        JobRun run = JobRun.create();
        PipelineJob.build(run.env(), options);
        JobExecutionResult result = run.execute(PipelineJob.JOB_NAME, out, options.sinkToPostHog());
        if (result.isJobExecutionResult()) {
            out.println(summary(result));
            out.println(run.timing(result));
        }
    }

    static boolean demoAvailable() {
        return PipelineMain.onClasspath(DEMO_CLASS);
    }

    /** One line of the job's counters. */
    static String summary(JobExecutionResult result) {
        return String.format(
                "records in: %d, dead-lettered: %d, events out: %d, flag values: %d,"
                        + " persons found: %d, refused for capture: %d",
                count(result, PipelineCounters.RECORDS_IN),
                count(result, PipelineCounters.DEAD_LETTERED),
                count(result, PipelineCounters.EVENTS_OUT),
                count(result, PipelineCounters.FLAGS_EVALUATED),
                count(result, PipelineCounters.PERSONS_FOUND),
                count(result, PipelineCounters.CAPTURE_REJECTED));
    }

    /** An accumulator's value, 0 when the job never created it. */
    public static long count(JobExecutionResult result, String name) {
        Object value = result.getAllAccumulatorResults().get(name);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
