package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Incremental mode, unbounded, on a local cluster: 120k events across a failure and restore. */
class HogQLIncrementalSourceTest {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLIncrementalSourceTest.class);
    private static final int EVENTS = 120_000;

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Fails the job once, after 60k records and after a checkpoint has been committed. */
    static final class FailOnce implements MapFunction<String, String> {
        @Override
        public String map(String uuid) {
            if (SEEN.incrementAndGet() >= EVENTS / 2
                    && !CommittingCollector.COMMITTED_CHECKPOINTS.isEmpty()
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return uuid;
        }
    }

    @Test
    void deliversEveryEventOnceAcrossARestartAndResumesFromTheCheckpointedCursor()
            throws Exception {
        long started = System.nanoTime();
        List<String> seeded = HogQLTestSupport.seedEvents(posthog, EVENTS, 2, 7);
        long seededAt = System.nanoTime();
        // Pages take at least 150 ms, so checkpoints complete between pages.
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.query())
                                .delay(Duration.ofMillis(150))
                                .always());
        CommittingCollector.clear();

        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .incremental("uuid, timestamp", "events")
                        .where("event = {event}")
                        .value("event", "$pageview")
                        .pageSize(10_000)
                        .pollInterval(Duration.ofMillis(200))
                        .queryName("incremental-restart-test")
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> (String) row.value(0), Types.STRING))
                        .build();

        StreamExecutionEnvironment env = HogQLTestSupport.environment(100, 3);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                .map(new FailOnce())
                .map(new CommittingCollector())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("incremental");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> CommittingCollector.COMMITTED.size() >= EVENTS);
        } finally {
            job.cancel().get();
        }
        long doneAt = System.nanoTime();

        List<String> committed = new ArrayList<>(CommittingCollector.COMMITTED);
        assertThat(FAILED).isTrue();
        assertThat(committed).hasSize(EVENTS);
        assertThat(new HashSet<>(committed)).hasSize(EVENTS).isEqualTo(new HashSet<>(seeded));
        // The restarted reader went on from its checkpointed cursor: the first page (cursor at
        // the epoch) was asked for once, and the 12 full pages plus polls did not start over.
        long fromStart =
                HogQLTestSupport.queryRequests(posthog).stream()
                        .filter(r -> r.bodyText().contains("1970-01-01T00:00:00Z"))
                        .count();
        assertThat(fromStart).isEqualTo(1);
        assertThat(SEEN.get()).isGreaterThan(EVENTS).isLessThan(2L * EVENTS);
        LOG.warn(
                "120k incremental: seeding {} ms, job {} ms, {} records seen, {} queries",
                (seededAt - started) / 1_000_000,
                (doneAt - seededAt) / 1_000_000,
                SEEN.get(),
                HogQLTestSupport.queryRequests(posthog).size());
    }
}
