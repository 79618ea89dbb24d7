package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.PipelineCli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of {@code posthog-pipeline.jar} ({@code flink run}) and {@code
 * posthog-pipeline-demo.jar} ({@code java -jar}): without {@code --posthog-host} it runs the
 * embedded demo; otherwise the pipeline on the cluster it is submitted to, or on a local
 * MiniCluster when started outside one. Touches no Flink class before it knows Flink is there, so
 * {@code --help} and a clear message work with plain {@code java -jar posthog-pipeline.jar}.
 */
public final class PipelineMain {
    static final String FLINK_CLASS =
            "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the pipeline; returns the process exit code (0 ok, 2 bad usage or no Flink). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(PipelineCli.help());
            return 0;
        }
        if (!onClasspath(FLINK_CLASS)) {
            err.println(
                    "error: Flink is not on the classpath: submit posthog-pipeline.jar with"
                            + " `flink run`, or run posthog-pipeline-demo.jar with `java -jar`.");
            return 2;
        }
        return PipelineRunner.run(args, env, out, err);
    }

    static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, PipelineMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
