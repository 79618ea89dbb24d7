package io.github.posthogflink.e2e;

import io.github.posthogflink.e2e.CaptureEvents.Event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline job on a Flink session cluster in containers: JobManager and TaskManagers from the
 * job image, Kafka, the testkit as PostHog. The job is submitted through the JobManager's REST API
 * as {@code flink run} does; events go into Kafka; every one must reach PostHog exactly once after
 * its deduplication, also when a TaskManager container is killed mid-stream.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineOnDockerTest {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineOnDockerTest.class);
    private static DockerFlinkStack stack;
    private static String jarId;
    private String jobId;

    @BeforeAll
    static void startStack() throws Exception {
        // Two TaskManagers of one slot: the job (parallelism 2) spans both.
        stack = DockerFlinkStack.start(2, 1);
        jarId =
                stack.rest()
                        .uploadJar(E2eSettings.root().resolve("jobs/target/posthog-pipeline.jar"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void cancelJob() throws Exception {
        if (jobId != null) {
            stack.rest().cancel(jobId);
            await("job cancelled")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> stack.rest().jobState(jobId).equals("CANCELED"));
        }
    }

    @Test
    @Order(1)
    void everyKafkaEventReachesPostHogExactlyOnce() throws Exception {
        String topic = "events-exact";
        List<Event> events = CaptureEvents.generate("e2e exact", 2_000, 11);
        long begin = System.nanoTime();
        jobId = submit(topic, "e2e-exact");
        CaptureEvents.produce(stack.kafkaBootstrap(), topic, events.subList(0, 1_000));
        CaptureEvents.produce(stack.kafkaBootstrap(), topic, events.subList(1_000, 2_000));

        awaitDelivered("e2e exact", events.size());
        LOG.info("2,000 events delivered in {} ms", (System.nanoTime() - begin) / 1_000_000);
        assertExactlyOnce("e2e exact", events);
    }

    @Test
    @Order(2)
    void aKilledTaskManagerLosesNothing() throws Exception {
        String topic = "events-kill";
        List<Event> events = CaptureEvents.generate("e2e kill", 3_000, 23);
        jobId = submit(topic, "e2e-kill");
        CaptureEvents.produce(stack.kafkaBootstrap(), topic, events.subList(0, 1_500));
        // Mid-stream: part of the first half delivered and a checkpoint taken.
        await("first events delivered and a checkpoint")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                !stack.testkit().dedupedEvents("e2e kill").isEmpty()
                                        && stack.rest().completedCheckpoints(jobId) > 0);

        GenericContainer<?> victim = stack.taskManagers().get(0);
        stack.killTaskManager(victim);
        CaptureEvents.produce(stack.kafkaBootstrap(), topic, events.subList(1_500, 3_000));
        stack.startTaskManager();

        awaitDelivered("e2e kill", events.size());
        assertExactlyOnce("e2e kill", events);
        int raw = stack.testkit().rawEvents("e2e kill").size();
        LOG.info("After the kill: {} events received for {} distinct", raw, events.size());
        assertThat(raw).isGreaterThanOrEqualTo(events.size());
    }

    private String submit(String topic, String groupId) throws Exception {
        CaptureEvents.createTopic(stack.kafkaBootstrap(), topic);
        String id =
                stack.rest()
                        .runJar(
                                jarId,
                                List.of(
                                        "--kafka-bootstrap-servers",
                                        stack.kafkaBootstrap(),
                                        "--kafka-topic",
                                        topic,
                                        "--kafka-group-id",
                                        groupId,
                                        "--posthog-host",
                                        stack.posthogHost(),
                                        "--project-id",
                                        DockerFlinkStack.PROJECT_ID,
                                        "--checkpoint-interval",
                                        "2s"),
                                2);
        await("job running")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> stack.rest().allTasksRunning(id));
        return id;
    }

    private static void awaitDelivered(String event, int count) {
        await(count + " events of " + event + " in PostHog")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> stack.testkit().dedupedEvents(event).size() >= count);
    }

    // Each input event under its dedup key (uuid, event, distinct id, day); no uuid twice.
    private static void assertExactlyOnce(String event, List<Event> events) throws Exception {
        List<JsonNode> stored = stack.testkit().dedupedEvents(event);
        Map<UUID, JsonNode> byUuid = new HashMap<>();
        Set<UUID> duplicates = new HashSet<>();
        for (JsonNode node : stored) {
            UUID uuid = UUID.fromString(node.get("uuid").asText());
            if (byUuid.put(uuid, node) != null) {
                duplicates.add(uuid);
            }
        }
        assertThat(duplicates).as("uuids stored twice").isEmpty();
        assertThat(stored).hasSize(events.size());
        for (Event input : events) {
            JsonNode node = byUuid.get(input.uuid());
            assertThat(node)
                    .as("event %s (sequence %d)", input.uuid(), input.sequence())
                    .isNotNull();
            assertThat(node.get("event").asText()).isEqualTo(input.event());
            assertThat(node.get("distinct_id").asText()).isEqualTo(input.distinctId());
            assertThat(node.get("timestamp").asText()).startsWith("2026-01-15T");
            assertThat(node.at("/properties/sequence").asInt()).isEqualTo(input.sequence());
        }
    }
}
