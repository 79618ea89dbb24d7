package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.ClusterProcess;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak (profile {@code -Preliability}): the sequence job streams for {@code
 * reliability.soak.minutes} (10 by default) at 100 events/s against a PostHog that fails 5 % of
 * requests with 503 and resets 2 % of connections, while a TaskManager is killed at a third and at
 * two thirds of the run; every event arrives exactly once after deduplication.
 */
@Tag("reliability")
class SoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
    private static final int RATE = 100;

    private static ReliabilityCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("soak", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void streamsForMinutesThroughFaultsAndTaskManagerKills() throws Exception {
        int minutes = Integer.getInteger("reliability.soak.minutes", 10);
        long events = (long) RATE * 60 * minutes;
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .status(503)
                                .withProbability(0.05, 7));
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .resetConnection()
                                .withProbability(0.02, 11));
        String jobId = SequenceJobs.submit(cluster, events, RATE, 2, null);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");

        for (int kill = 1; kill <= 2; kill++) {
            long threshold = events * kill / 3;
            await("event " + threshold)
                    .atMost(Duration.ofMinutes(minutes + 2L))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= threshold);
            ClusterProcess victim = cluster.flink.liveTaskManagers().get(0);
            victim.kill();
            cluster.flink.startTaskManager();
            LOG.info("Soak: killed {} at {} events", victim.name(), threshold);
        }
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(minutes + 3L), "FINISHED");

        assertThat(cluster.posthog.counters().getOrDefault("faults.status", 0L)).isPositive();
        SequenceJobs.assertExactDelivery(cluster.posthog, events);
    }
}
