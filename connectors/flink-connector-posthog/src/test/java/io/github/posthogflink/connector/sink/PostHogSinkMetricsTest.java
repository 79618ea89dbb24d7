package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.connector.testing.ReportedMetrics;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's metrics as a reporter sees them in a MiniCluster job: its own in {@code posthog.sink},
 * Flink's standard ones in the writer's group.
 */
@Timeout(120)
class PostHogSinkMetricsTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.withSlots(1, REPORTER.addToConfiguration(new Configuration()));

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        POSTHOG.faults().clear();
        SinkTestSupport.DEAD_LETTERS.clear();
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    @Test
    void rejectedEventsCountInNumRecordsSendErrorsAndEventsRejected() throws Exception {
        String oversized =
                "{\"event\":\"big\",\"distinct_id\":\"u\",\"properties\":{\"blob\":\""
                        + "x".repeat(3000)
                        + "\"}}";
        String malformed = "{\"event\":\"e\",\"distinct_id\":\"u\",\"uuid\":\"nope\"}";
        String refused = "{\"event\":\"e\",\"distinct_id\":\"\"}";
        String good = "{\"event\":\"e\",\"distinct_id\":\"a\"}";
        StreamExecutionEnvironment env = env();
        env.fromData(List.of(good, oversized, malformed, refused, good.replace("\"a\"", "\"b\"")))
                .sinkTo(
                        PostHogSink.<String>builder()
                                .setHost(POSTHOG.baseUrl())
                                .setProjectApiKey(POSTHOG.projectApiKey())
                                .setConverter(PostHogEventConverters.jsonStrings())
                                .setEventIdentity(json -> json)
                                .setMaxRecordSizeInBytes(2000)
                                .setErrorHandler(SinkTestSupport::collect)
                                .build())
                .name("posthog");
        JobExecutionResult result = env.execute("rejections");

        assertThat(POSTHOG.dedupedEvents()).hasSize(2);
        assertThat(SinkTestSupport.DEAD_LETTERS).hasSize(3);
        ReportedMetrics metrics = ReportedMetrics.of(REPORTER, result.getJobID());
        assertThat(metrics.counted(".posthog.sink.eventsRejected")).isEqualTo(3);
        assertThat(metrics.counted(".numRecordsSendErrors")).isEqualTo(3);
        assertThat(metrics.counted(".posthog.sink.eventsSent")).isEqualTo(2);
    }

    @Test
    void eventsOfAFailedAttemptCountInNumRecordsSendErrorsEachTime() throws Exception {
        FaultRule outage =
                POSTHOG.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .times(2));
        StreamExecutionEnvironment env = env();
        env.fromSequence(1, 40)
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setMaxBatchSize(40)
                                .setMaxTimeInBufferMS(60_000)
                                .build())
                .name("posthog");
        JobExecutionResult result = env.execute("retried twice");

        assertThat(outage.firedCount()).isEqualTo(2);
        assertThat(POSTHOG.dedupedEvents()).hasSize(40);
        ReportedMetrics metrics = ReportedMetrics.of(REPORTER, result.getJobID());
        assertThat(metrics.counted(".numRecordsSendErrors")).isEqualTo(2 * 40);
        assertThat(metrics.counted(".posthog.sink.retries.http_5xx")).isEqualTo(2);
        assertThat(metrics.counted(".posthog.sink.eventsSent")).isEqualTo(40);
        assertThat(metrics.counted(".posthog.sink.eventsRejected")).isZero();
        assertThat(metrics.counted(".posthog.sink.requests")).isEqualTo(3);
        assertThat(metrics.counted(".posthog.sink.bytesSentRaw")).isPositive();
        assertThat(metrics.counted(".posthog.sink.bytesSentCompressed")).isPositive();
        assertThat(metrics.gauged(".posthog.sink.pendingEvents")).isZero();
        // AsyncSinkWriter's send time is the one latency metric; ours is gone
        assertThat(metrics.all(".currentSendTime")).hasSize(1);
        assertThat(metrics.all("currentSendLatency")).isEmpty();
    }
}
