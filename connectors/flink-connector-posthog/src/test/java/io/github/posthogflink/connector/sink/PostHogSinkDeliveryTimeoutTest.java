package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.github.posthogflink.connector.sink.SinkTestSupport.expectedUuids;
import static io.github.posthogflink.connector.sink.SinkTestSupport.longSink;
import static io.github.posthogflink.connector.sink.SinkTestSupport.uuids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Bounded retries: outages longer than the delivery timeout fail the job, shorter ones do not. */
@Timeout(180)
class PostHogSinkDeliveryTimeoutTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final AtomicBoolean RESTARTED = new AtomicBoolean();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.withSlots(2, REPORTER.addToConfiguration(new Configuration()));

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    private static final RouteMatcher BATCH = RouteMatcher.path("POST", "/batch/");

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        POSTHOG.faults().clear();
        RESTARTED.set(false);
    }

    private static StreamExecutionEnvironment env(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    private static Configuration noRestarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    private static PostHogSinkException sinkFailure(Throwable jobFailure) {
        return ExceptionUtils.findThrowable(jobFailure, PostHogSinkException.class).orElseThrow();
    }

    @Test
    void anOutageLongerThanTheDeliveryTimeoutFailsTheJobWithAClearMessage() {
        POSTHOG.faults().add(FaultRule.matching(BATCH).status(503).always());
        StreamExecutionEnvironment env = env(noRestarts());
        env.fromSequence(1, 100)
                .sinkTo(longSink(POSTHOG).setDeliveryTimeout(Duration.ofSeconds(1)).build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> env.execute("outage longer than the delivery timeout"))
                .satisfies(
                        e -> {
                            PostHogSinkException failure = sinkFailure(e);
                            assertThat(failure.getMessage())
                                    .contains("kept failing for")
                                    .contains("attempts")
                                    .contains("HTTP 503")
                                    .contains("http_5xx")
                                    .contains("delivery timeout of 1.0 s")
                                    .contains("last checkpoint");
                            assertThat(ExceptionUtils.stringifyException(e))
                                    .doesNotContain(POSTHOG.projectApiKey());
                        });
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(POSTHOG.dedupedEvents()).isEmpty();
    }

    @Test
    void maxRetriesBoundsTheAttempts() {
        POSTHOG.faults().add(FaultRule.matching(BATCH).status(502).always());
        StreamExecutionEnvironment env = env(noRestarts());
        env.fromSequence(1, 10)
                .sinkTo(longSink(POSTHOG).setMaxBatchSize(10).setMaxRetries(3).build());

        assertThatThrownBy(() -> env.execute("max retries"))
                .satisfies(
                        e ->
                                assertThat(sinkFailure(e).getMessage())
                                        .contains("over 4 attempts")
                                        .contains("HTTP 502")
                                        .contains("maxRetries = 3"));
        assertThat(POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")))
                .hasSizeGreaterThanOrEqualTo(4)
                .extracting(RecordedRequest::status)
                .containsOnly(502);
    }

    @Test
    void anOutageShorterThanTheDeliveryTimeoutRecoversWithExactDelivery() throws Exception {
        int n = 5_000;
        FaultRule outage = POSTHOG.faults().add(FaultRule.matching(BATCH).status(503).always());
        StreamExecutionEnvironment env = env(noRestarts());
        env.setParallelism(2);
        env.fromSequence(1, n)
                .sinkTo(longSink(POSTHOG).setDeliveryTimeout(Duration.ofSeconds(60)).build());

        JobClient job = env.executeAsync("outage shorter than the delivery timeout");
        await().atMost(Duration.ofSeconds(60)).until(() -> outage.firedCount() >= 20);
        POSTHOG.faults().remove(outage.id());
        JobExecutionResult result = job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        assertThat(POSTHOG.dedupedEvents()).hasSize(n);
        assertThat(uuids(POSTHOG.dedupedEvents())).isEqualTo(expectedUuids(1, n));
        Map<String, Metric> metrics = REPORTER.getMetricsByIdentifiers(result.getJobID());
        assertThat(sum(metrics, ".posthog.sink.retries.http_5xx")).isEqualTo(outage.firedCount());
        assertThat(sum(metrics, ".posthog.sink.eventsSent")).isEqualTo(n);
    }

    /** Records that the job runs again after a failure. */
    static final class NoteRestart extends RichMapFunction<Long, Long> {
        @Override
        public void open(OpenContext context) {
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
                RESTARTED.set(true);
            }
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    @Test
    void afterTheDeliveryTimeoutFlinkRestartsFromTheCheckpointAndNothingIsLost() throws Exception {
        long n = 4_000;
        POSTHOG.faults().add(FaultRule.matching(BATCH).status(503).always());
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = env(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index + 1, n, RateLimiterStrategy.perSecond(4_000), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ids")
                .map(new NoteRestart())
                .sinkTo(
                        longSink(POSTHOG)
                                .setMaxTimeInBufferMS(50)
                                .setDeliveryTimeout(Duration.ofMillis(500))
                                .build());

        JobClient job = env.executeAsync("restart after the delivery timeout");
        await().atMost(Duration.ofSeconds(60)).untilTrue(RESTARTED);
        POSTHOG.faults().clear();
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        assertThat(POSTHOG.dedupedEvents()).hasSize((int) n);
        assertThat(uuids(POSTHOG.dedupedEvents())).isEqualTo(expectedUuids(1, n));
    }

    private static long sum(Map<String, Metric> metrics, String suffix) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }
}
