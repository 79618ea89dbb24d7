package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.ClusterProcess;
import io.github.posthogflink.reliability.soak.GrowthCheck;
import io.github.posthogflink.reliability.soak.GrowthCheck.Sample;
import io.github.posthogflink.reliability.soak.LiveHeapProbe;
import io.github.posthogflink.reliability.soak.SinkBacklogProbe;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak (profile {@code -Preliability}): the sequence job streams for {@code
 * reliability.soak.minutes} (10 by default) at 100 events/s against a PostHog that fails 5 % of
 * requests with 503 and resets 2 % of connections, on TaskManagers with a 1 GiB heap; the second
 * TaskManager is killed (and replaced) at two thirds and at five sixths of the run. Every event
 * arrives exactly once after deduplication. Sampled 30 times over the run: the live heap of the
 * first TaskManager, which lives through the whole run ({@link LiveHeapProbe}: after a full GC,
 * through {@code jcmd}), does not grow over the run, kills included; the sink's backlog ({@link
 * SinkBacklogProbe}: through the REST API) does not grow over the kill-free first two thirds
 * ({@link GrowthCheck}).
 */
@Tag("reliability")
class SoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
    private static final int RATE = 100;
    private static final double MB = 1024 * 1024;
    private static final long ONE_GIB = 1024L * 1024 * 1024;

    /** Live heap: at most 16 MB or 10 % more at the end, and under 1.5 MB a minute. */
    private static final GrowthCheck HEAP = new GrowthCheck(0.2, 16 * MB, 0.10, 1.5 * MB);

    /** Sink backlog: at most 200 events or 50 % more at the end, and under 50 events a minute. */
    private static final GrowthCheck BACKLOG = new GrowthCheck(0.2, 200, 0.5, 50);

    private static ReliabilityCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        // A 1 GiB JVM heap (128 MB framework + 896 MB task): process size minus metaspace
        // (160m), a fixed JVM overhead (96m), managed (32m), network (32m) and off-heap (64m).
        cluster =
                ReliabilityCluster.start(
                        "soak",
                        2,
                        spec ->
                                spec.taskManagerProcessSize("1408m")
                                        .config("taskmanager.memory.jvm-overhead.min", "96m")
                                        .config("taskmanager.memory.jvm-overhead.max", "96m")
                                        .config("metrics.fetcher.update-interval", "2000"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void streamsForMinutesWithoutGrowingThroughFaultsAndTaskManagerKills() throws Exception {
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
        ClusterProcess observed = cluster.flink.taskManagers().get(0);
        assertThat(LiveHeapProbe.maxHeapBytes(observed.pid())).isEqualTo(ONE_GIB);
        String jobId = SequenceJobs.submit(cluster, events, RATE, 2, null);
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");

        List<Sample> heap = new CopyOnWriteArrayList<>();
        List<Sample> backlog = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        SinkBacklogProbe backlogProbe = new SinkBacklogProbe(cluster.flink.rest(), jobId);
        AtomicReference<Duration> firstKill = new AtomicReference<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long every = Math.max(2, minutes * 60L / 30);
        sampler.scheduleWithFixedDelay(
                () -> sample(observed, backlogProbe, start, heap, backlog),
                every,
                every,
                TimeUnit.SECONDS);
        try {
            for (long threshold : List.of(events * 2 / 3, events * 5 / 6)) {
                await("event " + threshold)
                        .atMost(Duration.ofMinutes(minutes + 2L))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= threshold);
                ClusterProcess victim =
                        cluster.flink.liveTaskManagers().stream()
                                .filter(tm -> tm != observed)
                                .findFirst()
                                .orElseThrow();
                if (firstKill.get() == null) {
                    firstKill.set(Duration.ofNanos(System.nanoTime() - start));
                }
                victim.kill();
                cluster.flink.startTaskManager();
                LOG.info("Soak: killed {} at {} events", victim.name(), threshold);
            }
            cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(minutes + 3L), "FINISHED");
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
        }

        GrowthCheck.Verdict heapVerdict = HEAP.check(heap);
        // A restored sink resends entries its new attempt never counted in: the backlog is
        // judged on the kill-free part of the run.
        GrowthCheck.Verdict backlogVerdict =
                BACKLOG.check(
                        backlog.stream()
                                .filter(s -> s.at().compareTo(firstKill.get()) < 0)
                                .toList());
        LOG.info("Soak: live heap of {} (bytes): {}", observed.name(), heapVerdict);
        LOG.info("Soak: live heap samples (MB): {}", inMegabytes(heap));
        LOG.info("Soak: sink backlog (events): {}; samples {}", backlogVerdict, values(backlog));
        assertThat(observed.isAlive()).isTrue();
        assertThat(heapVerdict.grows()).as("live heap grows: %s", heapVerdict).isFalse();
        assertThat(backlogVerdict.grows()).as("sink backlog grows: %s", backlogVerdict).isFalse();
        assertThat(cluster.posthog.counters().getOrDefault("faults.status", 0L)).isPositive();
        SequenceJobs.assertExactDelivery(cluster.posthog, events);
    }

    private static void sample(
            ClusterProcess taskManager,
            SinkBacklogProbe backlogProbe,
            long start,
            List<Sample> heap,
            List<Sample> backlog) {
        try {
            Duration at = Duration.ofNanos(System.nanoTime() - start);
            heap.add(new Sample(at, LiveHeapProbe.liveHeapBytes(taskManager.pid())));
            OptionalDouble events = backlogProbe.events();
            if (events.isPresent()) {
                backlog.add(new Sample(at, events.getAsDouble()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Soak: no sample this time: {}", e.toString());
        }
    }

    private static List<Long> inMegabytes(List<Sample> samples) {
        return samples.stream().map(s -> Math.round(s.value() / MB)).toList();
    }

    private static List<Long> values(List<Sample> samples) {
        return samples.stream().map(s -> Math.round(s.value())).toList();
    }
}
