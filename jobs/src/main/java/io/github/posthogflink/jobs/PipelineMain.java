package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.CommandLine;
import io.github.posthogflink.jobs.cli.PipelineCli;
import io.github.posthogflink.jobs.failure.ExitCode;
import io.github.posthogflink.jobs.failure.PipelineFailure;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of {@code posthog-pipeline.jar} ({@code flink run}) and {@code
 * posthog-pipeline-demo.jar} ({@code java -jar}): without {@code --posthog-host} it runs the
 * embedded demo; otherwise the pipeline on the cluster it is submitted to, or on a local
 * MiniCluster when started outside one. Touches no Flink class before it knows Flink is there, so
 * {@code --help}, bad options and a clear message work with plain {@code java -jar
 * posthog-pipeline.jar}.
 *
 * <p>Every failure ends with one line {@code error: <problem> (<hint>)} on stderr and an exit code
 * per class ({@link ExitCode}); the stack trace goes to the log at DEBUG, and to stderr under
 * {@code --verbose}. Inside a Flink cluster (application mode, a REST jar run) the main method
 * throws instead of exiting, so the JobManager survives and reports the failure.
 */
public final class PipelineMain {
    static final String FLINK_CLASS =
            "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

    private PipelineMain() {}

    public static void main(String[] args) {
        Outcome outcome = launch(args, System.getenv(), System.out, System.err);
        if (outcome.code() == ExitCode.OK) {
            return;
        }
        if (!outcome.mayExit() && outcome.failure() != null) {
            throw outcome.failure();
        }
        System.exit(outcome.code().code());
    }

    /** Runs the pipeline; returns the process exit code ({@link ExitCode}). */
    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return launch(args, env, out, err).code().code();
    }

    static Outcome launch(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(PipelineCli.help());
            return Outcome.ok();
        }
        try {
            CommandLine.parse(args, PipelineCli.OPTIONS);
        } catch (IllegalArgumentException e) {
            return usage(PipelineFailure.usage(e.getMessage()), err);
        }
        if (!onClasspath(FLINK_CLASS)) {
            return usage(
                    PipelineFailure.usage(
                            "Flink is not on the classpath",
                            "submit posthog-pipeline.jar with `flink run`, or run"
                                    + " posthog-pipeline-demo.jar with `java -jar`"),
                    err);
        }
        return PipelineRunner.run(args, env, out, err);
    }

    private static Outcome usage(PipelineFailure failure, PrintStream err) {
        err.println(failure.line());
        return new Outcome(failure.exitCode(), failure, true);
    }

    static boolean verbose(String[] args) {
        return Arrays.asList(args).contains("--verbose");
    }

    static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, PipelineMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * How a run ended.
     *
     * @param mayExit false inside a Flink cluster, where exiting would take the JobManager down
     */
    record Outcome(ExitCode code, @Nullable PipelineFailure failure, boolean mayExit) {
        static Outcome ok() {
            return new Outcome(ExitCode.OK, null, true);
        }
    }
}
