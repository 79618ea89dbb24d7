package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.pipeline.PipelineCounters;
import io.github.posthogflink.jobs.pipeline.PipelineJob;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.util.Map;

/**
 * Parses the options and runs the demo or the pipeline (needs Flink on the classpath; {@link
 * PipelineMain} checks that first).
 */
final class PipelineRunner {
    static final String DEMO_CLASS = "io.github.posthogflink.testkit.PostHogServer";

    private PipelineRunner() {}

    /** Runs the pipeline; returns the process exit code (0 ok, 2 bad usage). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exception {
        PipelineOptions options;
        try {
            options = PipelineOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        }
        if (options.demo()) {
            if (!demoAvailable()) {
                err.println(
                        "error: the embedded demo needs posthog-pipeline-demo.jar; give"
                                + " --posthog-host to run against PostHog.");
                return 2;
            }
            DemoRunner.run(options, out);
            return 0;
        }
        StreamExecutionEnvironment environment =
                StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(environment, options);
        JobExecutionResult result = environment.execute(PipelineJob.JOB_NAME);
        if (result.isJobExecutionResult()) {
            out.println(summary(result));
        }
        return 0;
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
