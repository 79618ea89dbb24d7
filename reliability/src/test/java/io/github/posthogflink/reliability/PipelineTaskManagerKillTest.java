package io.github.posthogflink.reliability;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.reliability.cluster.ClusterProcess;
import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 1 with the deployable pipeline jar ({@code jobs/target/posthog-pipeline.jar}): an NDJSON
 * file in, PostHog (the testkit, answering slowly so the job lasts) out, keys only in the cluster
 * processes' environment; a TaskManager is killed mid-stream and replaced, and every event arrives
 * exactly once after deduplication.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelineTaskManagerKillTest {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineTaskManagerKillTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 40_000;
    private static final Instant BASE = Instant.parse("2026-11-27T12:00:00Z");

    private static ReliabilityCluster cluster;
    private static String pipelineJarId;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("pipeline-tm-kill", 2);
        pipelineJarId = cluster.flink.rest().uploadJar(HarnessSettings.pipelineJar());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void thePipelineDeliversEveryEventOnceAcrossATaskManagerKill() throws Exception {
        Path input = cluster.flink.layout().root().resolve("input/events.ndjson");
        writeInput(input);
        // PostHog answers after 700 ms: the job runs long enough to be hit mid-stream.
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .delay(Duration.ofMillis(700))
                                .always());
        String jobId =
                cluster.flink
                        .rest()
                        .runJar(
                                pipelineJarId,
                                JarRun.of(
                                                PipelineEvents.PIPELINE_MAIN,
                                                List.of(
                                                        "--input",
                                                        input.toString(),
                                                        "--posthog-host",
                                                        cluster.posthog.baseUrl(),
                                                        "--checkpoint-interval",
                                                        "1s",
                                                        "--persons",
                                                        "off",
                                                        "--flags",
                                                        "off"))
                                        .parallelism(2));
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");
        SequenceJobs.awaitCheckpointAndDelivered(cluster, jobId, EVENTS / 5);
        long atKill = SequenceJobs.dedupedCount(cluster.posthog);
        assertThat(atKill).isLessThan(EVENTS);
        // The file is one split: one reader works, the other finishes at once. Kill the working
        // one, once the REST API (whose job views are cached for a few seconds) shows which.
        await("the idle reader finished")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> cluster.flink.rest().taskManagersRunning(jobId).size() == 1);
        ClusterProcess victim = cluster.flink.taskManagerRunning(jobId);
        long killedAt = System.currentTimeMillis();
        victim.kill();
        cluster.flink.startTaskManager();
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(3), "FINISHED");
        LOG.info(
                "Pipeline: {} killed with {} of {} events delivered; finished {} ms after the kill",
                victim.name(),
                atKill,
                EVENTS,
                System.currentTimeMillis() - killedAt);

        assertThat(
                        cluster.flink
                                .rest()
                                .checkpoints(jobId)
                                .path("latest")
                                .path("restored")
                                .path("id")
                                .asLong())
                .as("restored from a checkpoint")
                .isPositive();
        Set<UUID> expected =
                IntStream.range(0, EVENTS)
                        .mapToObj(PipelineTaskManagerKillTest::uuid)
                        .collect(Collectors.toSet());
        Map<UUID, Long> perUuid =
                cluster.posthog.dedupedEvents().stream()
                        .collect(Collectors.groupingBy(CapturedEvent::uuid, Collectors.counting()));
        assertThat(perUuid.keySet()).isEqualTo(expected);
        assertThat(perUuid.values()).allMatch(count -> count == 1);

        Secrets.assertNoKeys("/jobs/:id/config", cluster.flink.rest().jobConfig(jobId));
        Secrets.assertNoKeys("/jobs/:id/exceptions", cluster.flink.rest().exceptions(jobId));
        Secrets.assertNoKeys("/jobs/:id", cluster.flink.rest().job(jobId).toString());
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().log())).isEmpty();
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().checkpoints())).isEmpty();
    }

    private static UUID uuid(int n) {
        return EventUuids.fromIdentity("pipeline/" + n);
    }

    private static void writeInput(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 0; n < EVENTS; n++) {
                ObjectNode event = JSON.createObjectNode();
                event.put("event", "pipeline tick");
                event.put("distinct_id", "user-" + (n % 100));
                event.put("uuid", uuid(n).toString());
                event.put("timestamp", BASE.plusMillis(n).toString());
                event.putObject("properties").put("seq", n);
                out.write(JSON.writeValueAsString(event));
                out.write('\n');
            }
        }
    }
}
