package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.posthogflink.connector.sink.SinkTestSupport.expectedUuids;
import static io.github.posthogflink.connector.sink.SinkTestSupport.longSink;
import static io.github.posthogflink.connector.sink.SinkTestSupport.uuids;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivery under faults, on a MiniCluster against the testkit. */
@Timeout(180)
class PostHogSinkDeliveryTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.withSlots(2, REPORTER.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final PostHogTestServer POSTHOG =
            PostHogTestServer.builder().journalCapacity(5_000).build();

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        POSTHOG.faults().clear();
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    void deliversEveryEventExactlyOnceUnderDedupDespiteFaults() throws Exception {
        int n = 50_000;
        RouteMatcher batch = RouteMatcher.path("POST", "/batch/");
        FaultRule serverErrors =
                POSTHOG.faults()
                        .add(FaultRule.matching(batch).status(503).withProbability(0.10, 11));
        FaultRule throttled =
                POSTHOG.faults()
                        .add(FaultRule.matching(batch).status(429).withProbability(0.05, 12));
        FaultRule resets =
                POSTHOG.faults()
                        .add(FaultRule.matching(batch).resetConnection().withProbability(0.02, 13));

        StreamExecutionEnvironment env = env();
        env.fromSequence(1, n).sinkTo(longSink(POSTHOG).build()).name("posthog");
        JobExecutionResult result = env.execute("exact delivery under faults");

        List<CapturedEvent> deduped = POSTHOG.dedupedEvents();
        assertThat(deduped).hasSize(n);
        assertThat(uuids(deduped)).isEqualTo(expectedUuids(1, n));
        assertThat(POSTHOG.events().size()).isGreaterThanOrEqualTo(n);
        assertThat(serverErrors.firedCount()).isPositive();
        assertThat(throttled.firedCount()).isPositive();
        assertThat(resets.firedCount()).isPositive();

        Map<String, Metric> metrics = REPORTER.getMetricsByIdentifiers(result.getJobID());
        assertThat(sum(metrics, ".posthog.sink.eventsSent")).isEqualTo(n);
        assertThat(sum(metrics, ".posthog.sink.retries.http_5xx"))
                .isEqualTo(serverErrors.firedCount());
        assertThat(sum(metrics, ".posthog.sink.retries.http_429"))
                .isEqualTo(throttled.firedCount());
        assertThat(sum(metrics, ".posthog.sink.retries.connection")).isEqualTo(resets.firedCount());
        assertThat(sum(metrics, ".posthog.sink.requests"))
                .isEqualTo(POSTHOG.counters().getOrDefault("requests.POST /batch/", 0L));
        assertThat(sum(metrics, ".posthog.sink.bytesSentCompressed"))
                .isLessThan(sum(metrics, ".posthog.sink.bytesSentRaw") / 3);
        assertThat(sum(metrics, ".posthog.sink.eventsRejected")).isZero();
    }

    @Test
    void a408AndATimedOutRequestAreRetriedAndCountedByCause() throws Exception {
        RouteMatcher batch = RouteMatcher.path("POST", "/batch/");
        POSTHOG.faults().add(FaultRule.matching(batch).status(408).times(1));
        POSTHOG.faults().add(FaultRule.matching(batch).delay(Duration.ofSeconds(4)).times(1));

        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, 20)
                .sinkTo(
                        longSink(POSTHOG)
                                .setClientConfig(
                                        PostHogClientConfig.builder()
                                                .host(POSTHOG.baseUrl())
                                                .projectApiKey(POSTHOG.projectApiKey())
                                                .requestTimeout(Duration.ofMillis(1_500))
                                                .build())
                                .build())
                .name("posthog");
        JobExecutionResult result = env.execute("408 and timeout");

        assertThat(POSTHOG.dedupedEvents()).hasSize(20);
        Map<String, Metric> metrics = REPORTER.getMetricsByIdentifiers(result.getJobID());
        assertThat(sum(metrics, ".posthog.sink.retries.http_408")).isEqualTo(1);
        // at least the delayed one (a loaded machine could time out another)
        assertThat(sum(metrics, ".posthog.sink.retries.timeout")).isGreaterThanOrEqualTo(1);
        assertThat(sum(metrics, ".posthog.sink.retries.http_5xx")).isZero();
        // the timed-out request ends on the server 4 s after it came: wait for it, so that it
        // is counted here and not in the next test
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                POSTHOG.counters().getOrDefault("requests.POST /batch/", 0L)
                                        == sum(metrics, ".posthog.sink.requests"));
    }

    @Test
    void aSustainedOutageShrinksBatchesAndSuccessGrowsThemBack() throws Exception {
        POSTHOG.faults()
                .add(FaultRule.matching(RouteMatcher.path("POST", "/batch/")).status(503).times(4));

        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, 3_000)
                .sinkTo(
                        longSink(POSTHOG)
                                .setMaxBatchSize(500)
                                .setMaxInFlightRequests(1)
                                .setRateControl(50, 0.5)
                                .build());
        env.execute("aimd");

        List<RecordedRequest> batches =
                POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        List<Integer> sizes = batches.stream().map(PostHogSinkDeliveryTest::batchSize).toList();
        assertThat(batches.get(0).status()).isEqualTo(503);
        // three failures in a row are not yet sustained: the batch keeps its size
        assertThat(sizes.subList(0, 4)).containsOnly(500);
        // the fourth is: the budget halves once; then +50 per success
        int firstSuccess = 4;
        assertThat(batches.get(firstSuccess).status()).isEqualTo(200);
        assertThat(sizes.get(firstSuccess)).isEqualTo(250);
        assertThat(sizes.get(firstSuccess + 1)).isEqualTo(300);
        assertThat(POSTHOG.dedupedEvents()).hasSize(3_000);
    }

    @Test
    void isolatedFailuresDoNotShrinkTheBatches() throws Exception {
        // AsyncSink's AIMD halved the budget on every failed request: under 10 % of 503s the
        // batches shrank to a few dozen events and the requests multiplied.
        int n = 20_000;
        FaultRule serverErrors =
                POSTHOG.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .withProbability(0.10, 21));

        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, n)
                .sinkTo(
                        longSink(POSTHOG)
                                .setMaxBatchSize(500)
                                .setMaxBufferedRequests(5_000)
                                .build());
        env.execute("isolated failures");

        List<RecordedRequest> batches =
                POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        double eventsPerRequest =
                batches.stream().mapToInt(PostHogSinkDeliveryTest::batchSize).average().orElse(0);
        assertThat(serverErrors.firedCount()).isPositive();
        assertThat(eventsPerRequest).isGreaterThan(400);
        assertThat(POSTHOG.dedupedEvents()).hasSize(n);
    }

    private static int batchSize(RecordedRequest request) {
        return Json.tree(request.body()).get("batch").size();
    }

    @Test
    void honoursRetryAfter() throws Exception {
        POSTHOG.faults()
                .add(
                        FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                .status(429, 1)
                                .times(1));

        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, 10).sinkTo(longSink(POSTHOG).build());
        env.execute("retry after");

        List<RecordedRequest> requests =
                POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(requests.get(0).status()).isEqualTo(429);
        assertThat(requests.get(1).status()).isEqualTo(200);
        assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(POSTHOG.dedupedEvents()).hasSize(10);
    }

    @Test
    void sendsGzippedBatchesWithoutSentAtAndWithLib() throws Exception {
        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, 3).sinkTo(longSink(POSTHOG).setHistoricalMigration(true).build());
        env.execute("envelope");

        RecordedRequest request =
                POSTHOG.requests().stream()
                        .filter(r -> r.path().startsWith("/batch"))
                        .findFirst()
                        .orElseThrow();
        assertThat(request.headers().get("content-encoding")).containsExactly("gzip");
        assertThat(request.bodyText())
                .contains("\"historical_migration\":true")
                .doesNotContain("sent_at");
        List<CapturedEvent> events = POSTHOG.dedupedEvents();
        assertThat(events).hasSize(3).allMatch(CapturedEvent::historicalMigration);
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.property("$lib")).isEqualTo("posthog-flink");
                            assertThat(e.timestamp())
                                    .isEqualTo(
                                            SinkTestSupport.BASE_TIME.plusMillis(
                                                    e.properties().get("n").asLong()));
                        });
    }

    @Test
    void pendingEventsCountsWhatIsNotDeliveredYet() throws Exception {
        int n = 300;
        FaultRule outage =
                POSTHOG.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .always());
        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(1, n).sinkTo(longSink(POSTHOG).build()).name("posthog");
        JobClient job = env.executeAsync("pending events");

        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> pendingEvents(job) == n && outage.firedCount() > 1);
        POSTHOG.faults().clear();
        job.getJobExecutionResult().get();

        assertThat(pendingEvents(job)).isZero();
        assertThat(uuids(POSTHOG.events())).isEqualTo(expectedUuids(1, n));
    }

    private static long pendingEvents(JobClient job) {
        return REPORTER.getMetricsByIdentifiers(job.getJobID()).entrySet().stream()
                .filter(e -> e.getKey().endsWith(".posthog.sink.pendingEvents"))
                .mapToLong(e -> (Long) ((Gauge<?>) e.getValue()).getValue())
                .sum();
    }

    private static long sum(Map<String, Metric> metrics, String suffix) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }
}
