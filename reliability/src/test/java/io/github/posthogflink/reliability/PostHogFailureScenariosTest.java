package io.github.posthogflink.reliability;

import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The long scenarios (profile {@code -Preliability}): PostHog down for a minute, a 429 storm, a
 * slow PostHog, and a savepoint upgrade, each on the session cluster and each ending with every
 * event delivered exactly once after deduplication.
 */
@Tag("reliability")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostHogFailureScenariosTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostHogFailureScenariosTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ReliabilityCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("posthog-failures", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    @AfterEach
    void clean() {
        cluster.posthog.faults().clear();
        cluster.posthog.reset();
    }

    @Test
    void aMinuteLongOutageDelaysButLosesNothing() throws Exception {
        long events = 3_000;
        String jobId = SequenceJobs.submit(cluster, events, 100, 2, null);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= 500);

        Instant outageBegin = Instant.now();
        cluster.posthog.faults().outage(RouteMatcher.capture(), Duration.ofSeconds(60));
        long atOutage = SequenceJobs.dedupedCount(cluster.posthog);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(3), "FINISHED");
        LOG.info(
                "Outage: {} events before it, job finished {} s after it began",
                atOutage,
                Duration.between(outageBegin, Instant.now()).toSeconds());

        // Nothing got through while PostHog answered 503 (a second of slack at each end for
        // requests already past the fault check).
        Instant quietFrom = outageBegin.plusSeconds(1);
        Instant quietUntil = outageBegin.plusSeconds(59);
        assertThat(cluster.posthog.events())
                .noneMatch(
                        e ->
                                e.receivedAt().isAfter(quietFrom)
                                        && e.receivedAt().isBefore(quietUntil));
        assertThat(atOutage).isLessThan(events);
        assertThat(cluster.posthog.counters().getOrDefault("status.503", 0L)).isPositive();
        SequenceJobs.assertExactDelivery(cluster.posthog, events);
        assertNoRestart(jobId);
    }

    @Test
    void a429StormIsRidOut() throws Exception {
        long events = 2_000;
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .status(429, 1)
                                .withProbability(0.5, 42));
        String jobId = SequenceJobs.submit(cluster, events, 200, 2, null);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(4), "FINISHED");

        long throttled = cluster.posthog.counters().getOrDefault("status.429", 0L);
        Duration shortestWait = shortestWaitAfter429(cluster.posthog.requests());
        LOG.info(
                "429 storm: {} requests throttled; a throttled event came back {} ms later at the"
                        + " soonest",
                throttled,
                shortestWait.toMillis());
        assertThat(throttled).isGreaterThan(5);
        // Retry-After: 1; the testkit stamps a request when it arrives, before the fault's reply
        assertThat(shortestWait).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        SequenceJobs.assertExactDelivery(cluster.posthog, events);
        assertNoRestart(jobId);
    }

    /**
     * For each capture request answered 429, the time until the next request carrying any of its
     * events; the shortest of them.
     */
    private static Duration shortestWaitAfter429(List<RecordedRequest> requests) throws Exception {
        List<RecordedRequest> batches =
                requests.stream()
                        .filter(r -> r.path().startsWith("/batch"))
                        .sorted(Comparator.comparingLong(RecordedRequest::sequence))
                        .toList();
        List<Set<String>> uuids = new ArrayList<>();
        for (RecordedRequest batch : batches) {
            Set<String> ids = new HashSet<>();
            JSON.readTree(batch.body())
                    .path("batch")
                    .forEach(e -> ids.add(e.path("uuid").asText()));
            uuids.add(ids);
        }
        Duration shortest = null;
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).status() != 429) {
                continue;
            }
            for (int j = i + 1; j < batches.size(); j++) {
                if (!Collections.disjoint(uuids.get(i), uuids.get(j))) {
                    Duration wait =
                            Duration.between(
                                    batches.get(i).receivedAt(), batches.get(j).receivedAt());
                    shortest = shortest == null || wait.compareTo(shortest) < 0 ? wait : shortest;
                    break;
                }
            }
        }
        assertThat(shortest).as("a throttled batch sent again").isNotNull();
        return shortest;
    }

    /** The job never failed over: PostHog's trouble was ridden out inside the sink. */
    private static void assertNoRestart(String jobId) throws Exception {
        assertThat(
                        JSON.readTree(cluster.flink.rest().exceptions(jobId))
                                .path("exceptionHistory")
                                .path("entries"))
                .as("failovers")
                .isEmpty();
    }

    @Test
    void aSlowPostHogSlowsTheJobDown() throws Exception {
        long events = 1_500;
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .delay(Duration.ofSeconds(2))
                                .always());
        String jobId = SequenceJobs.submit(cluster, events, 150, 2, null);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(4), "FINISHED");

        assertThat(cluster.posthog.counters().getOrDefault("faults.delay", 0L)).isPositive();
        SequenceJobs.assertExactDelivery(cluster.posthog, events);
        assertNoRestart(jobId);
    }

    @Test
    void aSavepointCarriesTheJobToANewParallelism() throws Exception {
        long events = 4_000;
        String first = SequenceJobs.submit(cluster, events, 200, 1, null);
        cluster.flink.rest().awaitJobState(first, Duration.ofSeconds(60), "RUNNING");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= 800);
        String savepoint =
                cluster.flink
                        .rest()
                        .stopWithSavepoint(first, cluster.flink.layout().savepoints(), false);
        cluster.flink.rest().awaitJobState(first, Duration.ofSeconds(60), "FINISHED");
        long atStop = SequenceJobs.dedupedCount(cluster.posthog);
        assertThat(atStop).isLessThan(events);

        String second = SequenceJobs.submit(cluster, events, 200, 2, savepoint);
        cluster.flink.rest().awaitJobState(second, Duration.ofMinutes(3), "FINISHED");
        LOG.info("Savepoint {} taken with {} events delivered", savepoint, atStop);

        SequenceJobs.assertExactDelivery(cluster.posthog, events);
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().savepoints())).isEmpty();
    }
}
