package io.github.posthogflink.e2e;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The images of {@code docker/}, built locally with the docker CLI on the base image of {@link
 * E2eSettings#baseImage()} (no registry is reachable), once per test JVM; docker's layer cache
 * makes a rebuild of unchanged inputs take seconds. Each Dockerfile gets the local equivalent of
 * the official image it names by default.
 */
final class LocalImages {

    private static final Logger LOG = LoggerFactory.getLogger(LocalImages.class);

    /** The local stand-in for {@code flink:2.3-java17}. */
    static final String FLINK = "posthog-flink/flink:2.3-local";

    /** The local stand-in for {@code apache/kafka}. */
    static final String KAFKA = "posthog-flink/kafka:4.2-local";

    /** The names docker-compose.yml gives the testkit and the job image. */
    static final String TESTKIT = "posthog-testkit:0.1.0-2.3";

    static final String PIPELINE = "posthog-pipeline:0.1.0-2.3";

    private static final Map<String, Long> BUILD_MILLIS = new LinkedHashMap<>();
    private static boolean built;

    private LocalImages() {}

    /** Builds the four images (Flink, Kafka, testkit, the job on the local Flink) if not done. */
    static synchronized void ensureBuilt() throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path root = E2eSettings.root();
        requireFile(root.resolve("docker/flink/target/lib"), "-Pdocker -pl docker/flink package");
        requireFile(root.resolve("docker/kafka/target/lib"), "-Pdocker -pl docker/kafka package");
        requireFile(
                root.resolve("connectors/posthog-testkit/target/posthog-testkit.jar"),
                "-pl connectors/posthog-testkit -am package");
        requireFile(root.resolve("jobs/target/posthog-pipeline.jar"), "-pl jobs -am package");
        String base = E2eSettings.baseImage();
        if (run(List.of("docker", "image", "inspect", base)).exitCode() != 0) {
            throw new IllegalStateException(
                    "base image "
                            + base
                            + " is missing: run docker/ci-docker.sh setup (it builds it with"
                            + " debootstrap)");
        }
        build(FLINK, "docker/flink/Dockerfile", Map.of("BASE_IMAGE", base));
        build(KAFKA, "docker/kafka/Dockerfile", Map.of("BASE_IMAGE", base));
        build(TESTKIT, "docker/testkit/Dockerfile", Map.of("BASE_IMAGE", base));
        build(PIPELINE, "docker/Dockerfile", Map.of("FLINK_IMAGE", FLINK));
        built = true;
        LOG.info("Image build times (ms): {}", BUILD_MILLIS);
    }

    private static void build(String tag, String dockerfile, Map<String, String> args)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "docker",
                                "build",
                                "--network",
                                "host",
                                "-f",
                                dockerfile,
                                "-t",
                                tag));
        args.forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
        command.add(".");
        long begin = System.nanoTime();
        Result result = run(command);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    "docker build of " + tag + " failed:\n" + result.output());
        }
        BUILD_MILLIS.put(tag, millis);
        LOG.info("Built {} from {} in {} ms", tag, dockerfile, millis);
    }

    private static void requireFile(Path path, String mavenArgs) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    path + " is missing: build it with ./mvnw " + mavenArgs);
        }
    }

    record Result(int exitCode, String output) {}

    /** Runs a command in the repository root, output and errors together. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    /** Runs a command in the repository root with extra environment variables. */
    static Result run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(E2eSettings.root().toFile())
                        .redirectErrorStream(true);
        builder.environment().putAll(environment);
        // The legacy builder: BuildKit needs the buildx plugin, which Debian's docker.io lacks.
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
