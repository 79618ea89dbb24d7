package io.github.posthogflink.reliability.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the build hands the harness through surefire's system properties: the cluster's class path
 * (the module's provided scope, as a distribution's lib/), the job jar's class path (its runtime
 * scope), the test classes, Flink's Java 17 flags and a work directory.
 */
public final class HarnessSettings {

    private HarnessSettings() {}

    /** Flink's runtime, log4j and SLF4J: what a distribution's lib/ holds. */
    public static List<Path> clusterClasspath() {
        List<Path> cluster = readClasspath("reliability.cluster.classpath");
        List<Path> slf4j = jobClasspathFilter(true);
        return concat(cluster, slf4j);
    }

    /** The job's dependencies (connector, client, their libraries), without SLF4J's API. */
    public static List<Path> jobClasspath() {
        return jobClasspathFilter(false);
    }

    /** The test classes directory (the test jobs' classes are taken from it). */
    public static Path testClasses() {
        return Path.of(property("reliability.job.classes"));
    }

    /** The root for clusters' work directories. */
    public static Path workRoot() {
        return Path.of(property("reliability.work.dir"));
    }

    /**
     * The pipeline job's fat jar ({@code jobs/target/posthog-pipeline.jar}, built by the jobs
     * module's {@code package}).
     */
    public static Path pipelineJar() {
        Path jar = Path.of(property("reliability.pipeline.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "No pipeline jar at "
                            + jar
                            + ": build it first (./mvnw -pl jobs -am package -DskipTests) or set"
                            + " -Dreliability.pipeline.jar=...");
        }
        return jar;
    }

    /** Flink's {@code --add-opens/--add-exports} flags for Java 17. */
    public static List<String> jvmOpens() {
        String opens = property("reliability.jvm.opens").trim();
        return opens.isEmpty() ? List.of() : Arrays.asList(opens.split("\\s+"));
    }

    private static List<Path> jobClasspathFilter(boolean slf4jApi) {
        return readClasspath("reliability.job.classpath").stream()
                .filter(p -> isSlf4jApi(p) == slf4jApi)
                .toList();
    }

    private static boolean isSlf4jApi(Path path) {
        return path.getFileName().toString().startsWith("slf4j-api-");
    }

    private static List<Path> readClasspath(String property) {
        try {
            String text = Files.readString(Path.of(property(property))).trim();
            return Arrays.stream(text.split(java.io.File.pathSeparator))
                    .filter(s -> !s.isBlank())
                    .map(Path::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(
                    "System property " + name + " is not set: run through Maven (surefire)");
        }
        return value;
    }
}
