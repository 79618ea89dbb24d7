package io.github.posthogflink.e2e;

import io.github.posthogflink.e2e.CaptureEvents.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml with the host-network override, on the local images: {@code up} brings the
 * session cluster, Kafka and the testkit up, the one-shot {@code submit} service runs the pipeline
 * with {@code flink run}, and events produced to Kafka reach the testkit.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTest {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeSmokeTest.class);
    private static final String PROJECT = "posthog-e2e-compose";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static Path composeFile = E2eSettings.root().resolve("docker/docker-compose.yml");
    private static final List<Integer> HOST_PORTS =
            List.of(8081, 6123, 6124, 9092, 9093, 29092, 8010);

    @AfterEach
    void down() throws Exception {
        LocalImages.Result result = compose("down", "--volumes", "--timeout", "10");
        LOG.info("compose down: exit {}", result.exitCode());
    }

    @Test
    void composeUpRunsThePipelineFromKafkaToPostHog() throws Exception {
        LocalImages.ensureBuilt();
        composeFile = composeFileForHostNetwork();
        assertThat(HOST_PORTS.stream().filter(port -> !free(port)).toList())
                .as("host ports the compose file uses, busy")
                .isEmpty();
        long begin = System.nanoTime();
        // Kafka first, to create the input topic before the job subscribes to it.
        assertSucceeded(compose("up", "-d", "--no-build", "kafka", "posthog"));
        await("Kafka on localhost:29092")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> CaptureEvents.createTopic("localhost:29092", "events"));
        assertSucceeded(compose("up", "-d", "--no-build"));

        FlinkRest rest = new FlinkRest(8081);
        String jobId =
                await("the submitted job running")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(() -> runningJob(rest), id -> id != null);
        LOG.info(
                "compose stack up and job {} running in {} ms",
                jobId,
                (System.nanoTime() - begin) / 1_000_000);

        List<Event> events = CaptureEvents.generate("compose smoke", 300, 7);
        CaptureEvents.produce("localhost:29092", "events", events);
        TestkitProbe testkit = new TestkitProbe(8010);
        await("events in the testkit")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> testkit.dedupedEvents("compose smoke").size() >= events.size());
        Set<String> stored =
                testkit.dedupedEvents("compose smoke").stream()
                        .map(e -> e.get("uuid").asText())
                        .collect(Collectors.toSet());
        assertThat(stored)
                .containsExactlyInAnyOrderElementsOf(
                        events.stream().map(e -> e.uuid().toString()).toList());
    }

    /**
     * docker-compose.yml as it is, but without {@code ports:}: Compose v2 discards published ports
     * under host networking, Debian's docker-compose 1.29 refuses them (and an override cannot
     * remove list entries). Build contexts become absolute, as the copy lives elsewhere.
     */
    private static Path composeFileForHostNetwork() throws IOException {
        Path root = E2eSettings.root();
        ObjectNode compose =
                (ObjectNode) YAML.readTree(root.resolve("docker/docker-compose.yml").toFile());
        compose.get("services")
                .forEach(
                        service -> {
                            ObjectNode node = (ObjectNode) service;
                            node.remove("ports");
                            if (node.get("build") instanceof ObjectNode build) {
                                build.put("context", root.toString());
                            }
                        });
        Path copy = E2eSettings.workDir("compose").resolve("docker-compose.no-ports.yml");
        YAML.writeValue(copy.toFile(), compose);
        return copy;
    }

    private static String runningJob(FlinkRest rest) throws Exception {
        for (JsonNode job : rest.jobs()) {
            String id = job.get("id").asText();
            if ("RUNNING".equals(job.get("status").asText()) && rest.allTasksRunning(id)) {
                return id;
            }
        }
        return null;
    }

    private static void assertSucceeded(LocalImages.Result result) {
        assertThat(result.exitCode()).as("compose: %s", result.output()).isZero();
    }

    /** docker compose (the plugin) when present, else Debian's docker-compose. */
    private static LocalImages.Result compose(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (LocalImages.run(List.of("docker", "compose", "version")).exitCode() == 0) {
            command.addAll(List.of("docker", "compose"));
        } else {
            command.add("docker-compose");
        }
        command.addAll(
                List.of(
                        "-p",
                        PROJECT,
                        // relative paths (the override's build contexts) from docker/
                        "--project-directory",
                        E2eSettings.root().resolve("docker").toString(),
                        "-f",
                        composeFile.toString(),
                        "-f",
                        "docker/docker-compose.host.yml"));
        command.addAll(List.of(args));
        return LocalImages.run(
                command,
                java.util.Map.of(
                        "POSTHOG_KAFKA_IMAGE", LocalImages.KAFKA,
                        "POSTHOG_FLINK_IMAGE", LocalImages.FLINK,
                        "POSTHOG_JRE_IMAGE", E2eSettings.baseImage()));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
