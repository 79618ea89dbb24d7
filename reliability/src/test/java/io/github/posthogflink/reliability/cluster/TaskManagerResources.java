package io.github.posthogflink.reliability.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TaskManager's JVM options and memory settings, computed as Flink's {@code bin/taskmanager.sh}
 * does: by running {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} on the conf dir and reading its two
 * result lines (the JVM parameters, then the dynamic configs).
 */
public record TaskManagerResources(List<String> jvmParameters, List<String> dynamicConfigs) {

    static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    static TaskManagerResources compute(String javaBin, String classpath, Path confDir)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(
                                javaBin,
                                "-Xmx128m",
                                "-XX:+UseSerialGC",
                                "-cp",
                                classpath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                "GET_TM_RESOURCE_PARAMS",
                                "--configDir",
                                confDir.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils failed:\n" + output);
        }
        return parse(output);
    }

    /** Parses BashJavaUtils' output: the last two result lines. */
    static TaskManagerResources parse(String output) {
        List<String> results = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith(RESULT_PREFIX)) {
                results.add(line.substring(RESULT_PREFIX.length()).trim());
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException(
                    "BashJavaUtils gave " + results.size() + " result lines:\n" + output);
        }
        List<String> jvm = tokens(results.get(results.size() - 2));
        List<String> dynamic = tokens(results.get(results.size() - 1));
        return new TaskManagerResources(jvm, dynamic);
    }

    private static List<String> tokens(String line) {
        return line.isEmpty() ? List.of() : List.copyOf(Arrays.asList(line.split("\\s+")));
    }
}
