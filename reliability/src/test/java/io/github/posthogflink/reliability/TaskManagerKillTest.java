package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.ClusterProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 1 on a real session cluster (a JobManager and two TaskManager JVMs): kill -9 a
 * TaskManager mid-stream, start a new one, and every event arrives exactly once after PostHog's
 * deduplication. Then the keys, held only in the cluster processes' environment, are looked for in
 * the logs, the REST API and the checkpoints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class TaskManagerKillTest {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerKillTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 4_000;
    private static final int RATE_PER_SECOND = 250;

    private static ReliabilityCluster cluster;
    private static final List<String> jobIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        long begin = System.nanoTime();
        cluster = ReliabilityCluster.start("tm-kill", 2);
        LOG.info("Cluster and job jar ready in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyEventArrivesOnceAfterATaskManagerIsKilledMidStream() throws Exception {
        cluster.posthog.reset();
        String jobId =
                SequenceJobs.submit(
                        cluster,
                        EVENTS,
                        RATE_PER_SECOND,
                        2,
                        null,
                        "--checkpoint-interval-ms",
                        "1000");
        jobIds.add(jobId);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");

        // Mid-stream: checkpoints completed, events delivered, far from all of them.
        await("two checkpoints and a quarter of the events")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                cluster.flink.rest().completedCheckpoints(jobId) >= 2
                                        && dedupedCount() >= EVENTS / 4);
        long deliveredAtKill = dedupedCount();
        assertThat(deliveredAtKill).isLessThan(EVENTS);

        ClusterProcess victim = cluster.flink.liveTaskManagers().get(0);
        long killedAt = System.currentTimeMillis();
        victim.kill();
        assertThat(victim.isAlive()).isFalse();
        cluster.flink.startTaskManager();

        JsonNode restored = awaitRestore(jobId);
        long restoreMs = restored.path("restore_timestamp").asLong() - killedAt;
        await("every task running again")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.flink.rest().allVerticesRunning(jobId));
        long runningMs = System.currentTimeMillis() - killedAt;
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(120), "FINISHED");
        long finishedAt = System.currentTimeMillis();
        LOG.info(
                "TaskManager {} killed with {} of {} events delivered; checkpoint {} restored {} ms"
                        + " and every task running {} ms after the kill; job finished {} ms after"
                        + " the kill",
                victim.name(),
                deliveredAtKill,
                EVENTS,
                restored.path("id").asLong(),
                restoreMs,
                runningMs,
                finishedAt - killedAt);

        assertThat(restored.path("id").asLong())
                .as("recovered from a checkpoint, not from scratch")
                .isPositive();
        assertThat(cluster.flink.rest().exceptions(jobId))
                .as("the job saw the TaskManager go")
                .contains("exceptionHistory");
        SequenceJobs.assertExactDelivery(cluster.posthog, EVENTS);
    }

    @Test
    @Order(2)
    void keysAppearInNoLogRestViewOrCheckpoint() throws Exception {
        // A job that runs, and a job whose key PostHog refuses (401: the sink fails the job).
        cluster.posthog.reset();
        String good = runSmallJob("POSTHOG_PROJECT_API_KEY");
        cluster.flink.rest().awaitJobState(good, Duration.ofSeconds(90), "FINISHED");
        String refused = runSmallJob("POSTHOG_WRONG_PROJECT_API_KEY");
        await("the refused key fails the job")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                JSON.readTree(cluster.flink.rest().exceptions(refused))
                                                .path("exceptionHistory")
                                                .path("entries")
                                                .size()
                                        > 0);
        cluster.flink.rest().cancel(refused);
        cluster.flink.rest().awaitJobState(refused, Duration.ofSeconds(60), "CANCELED");
        assertThat(cluster.flink.rest().exceptions(refused)).contains("401");

        for (String jobId : jobIds) {
            Secrets.assertNoKeys(
                    "/jobs/" + jobId + "/config", cluster.flink.rest().jobConfig(jobId));
            Secrets.assertNoKeys(
                    "/jobs/" + jobId + "/exceptions", cluster.flink.rest().exceptions(jobId));
            Secrets.assertNoKeys("/jobs/" + jobId, cluster.flink.rest().job(jobId).toString());
        }
        Secrets.assertNoKeys("/jobmanager/config", cluster.flink.rest().jobManagerConfig());
        var layout = cluster.flink.layout();
        assertThat(Secrets.filesContainingKeys(layout.log())).as("log files").isEmpty();
        assertThat(Secrets.filesContainingKeys(layout.conf())).as("conf dir").isEmpty();
        assertThat(Secrets.filesContainingKeys(layout.checkpoints())).as("checkpoints").isEmpty();
        assertThat(Secrets.filesContainingKeys(layout.savepoints())).as("savepoints").isEmpty();
        List<String> tmpHits = Secrets.filesContainingKeys(layout.tmp());
        LOG.info("Key markers in the cluster's tmp dirs (blobs, RPC jars): {}", tmpHits);
    }

    private String runSmallJob(String keyVariable) throws Exception {
        String jobId = SequenceJobs.submit(cluster, 300, 300, 1, null, "--key-env", keyVariable);
        jobIds.add(jobId);
        return jobId;
    }

    private static JsonNode awaitRestore(String jobId) {
        var holder = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
        await("the job restored from a checkpoint")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            JsonNode restored =
                                    cluster.flink
                                            .rest()
                                            .checkpoints(jobId)
                                            .path("latest")
                                            .path("restored");
                            holder.set(restored);
                            return restored.isObject() && restored.has("id");
                        });
        return holder.get();
    }

    private static long dedupedCount() {
        return SequenceJobs.dedupedCount(cluster.posthog);
    }
}
