package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.connector.testing.ReportedMetrics;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The source's metrics as a reporter sees them in a local job: FLIP-33's {@code numBytesIn}, {@code
 * pendingRecords} and {@code currentFetchEventTimeLag} in the reader's group, its own in {@code
 * posthog.hogql}.
 */
@Timeout(120)
class HogQLSourceMetricsTest {
    /** The source operator's metric identifiers end with this (one subtask). */
    private static final String SOURCE = "Source: hogql.0";

    /**
     * One reporter per test: each test starts its own local cluster, and a cluster that shuts down
     * closes its reporter, which then sees no metric of the next cluster's job.
     */
    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    /** Holds the first record in the operator after the source until released. */
    static volatile CountDownLatch release = new CountDownLatch(0);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private StreamExecutionEnvironment environment() {
        Configuration conf = reporter.addToConfiguration(new Configuration());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    }

    @Test
    void anIncrementalReadReportsBytesInPendingRecordsAndTheFetchLagOfItsCursor() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 500, 1, 3);
        // the events are 1.000123 s apart from BASE; the last one is the last fetched
        Instant lastEvent = HogQLTestSupport.BASE.plusNanos(499 * 1_000_123_000L);
        Instant jobStart = HogQLTestSupport.BASE.plusSeconds(100_000);
        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .incremental("uuid, timestamp", "events")
                        .pageSize(100)
                        .bounded(true)
                        .clock(Clock.fixed(jobStart, ZoneOffset.UTC))
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> (String) row.value("uuid"), Types.STRING))
                        .build();
        StreamExecutionEnvironment env = environment();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                .sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("hogql metrics");

        ReportedMetrics metrics = ReportedMetrics.of(reporter, result.getJobID());
        // 5 full pages of 100 and an empty one
        assertThat(metrics.counted(SOURCE + ".posthog.hogql.polls")).isEqualTo(6);
        assertThat(metrics.counted(SOURCE + ".posthog.hogql.rowsFetched")).isEqualTo(500);
        assertThat(metrics.counted(SOURCE + ".posthog.hogql.failedPolls")).isZero();
        assertThat(metrics.gauged(SOURCE + ".posthog.hogql.consecutiveFailedPolls")).isZero();
        assertThat(metrics.gauged(SOURCE + ".posthog.hogql.lastSuccessfulPollTime"))
                .isEqualTo(jobStart.toEpochMilli());
        // each answer holds at least every row's uuid (36 chars) and timestamp (26 and more)
        assertThat(metrics.counted(SOURCE + ".numBytesIn")).isGreaterThan(500L * (36 + 26));
        assertThat(metrics.gauged(SOURCE + ".pendingRecords")).isZero();
        assertThat(metrics.gauged(SOURCE + ".currentFetchEventTimeLag"))
                .isEqualTo(jobStart.toEpochMilli() - lastEvent.toEpochMilli());
    }

    /** Blocks on the first record until the test releases it. */
    static final class HoldFirst implements MapFunction<String, String> {
        private boolean held;

        @Override
        public String map(String value) throws InterruptedException {
            if (!held) {
                held = true;
                release.await(60, TimeUnit.SECONDS);
            }
            return value;
        }
    }

    @Test
    void pendingRecordsAreTheFetchedRowsNotYetEmitted() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 30, 1, 4);
        release = new CountDownLatch(1);
        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(
                                "SELECT distinct_id FROM events GROUP BY distinct_id"
                                        + " ORDER BY distinct_id LIMIT 1000")
                        .asyncExecution(false)
                        .bounded(true)
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> (String) row.value(0), Types.STRING))
                        .build();
        StreamExecutionEnvironment env = environment();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                .map(new HoldFirst())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("pending records");

        // the first of 30 rows is in the map, so none is emitted yet
        await().atMost(Duration.ofSeconds(60))
                .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                ReportedMetrics.of(reporter, job.getJobID())
                                                        .gauged(SOURCE + ".pendingRecords"))
                                        .isEqualTo(30));
        release.countDown();
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        ReportedMetrics metrics = ReportedMetrics.of(reporter, job.getJobID());
        assertThat(metrics.gauged(SOURCE + ".pendingRecords")).isZero();
        assertThat(metrics.counted(SOURCE + ".numBytesIn")).isGreaterThan(30L * "user-0".length());
        // a snapshot has no cursor, so no fetch lag
        assertThat(metrics.all(SOURCE + ".currentFetchEventTimeLag")).isEmpty();
    }
}
