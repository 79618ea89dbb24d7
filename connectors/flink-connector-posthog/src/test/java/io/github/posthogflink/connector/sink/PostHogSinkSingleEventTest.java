package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The single-event route, {@code /i/v0/e/}: one event per request, same delivery rules. */
@Timeout(120)
class PostHogSinkSingleEventTest {
    private static final String SINGLE = "/i/v0/e/";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        POSTHOG.faults().clear();
    }

    @Test
    void deliversEachEventOnceThroughTheSingleEventRoute() throws Exception {
        int n = 400;
        FaultRule serverErrors =
                POSTHOG.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", SINGLE))
                                        .status(503)
                                        .withProbability(0.10, 21));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromSequence(1, n)
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setCaptureEndpoint(CaptureEndpoint.SINGLE_EVENT)
                                .build());
        env.execute("single-event sink");

        assertThat(SinkTestSupport.uuids(POSTHOG.events()))
                .isEqualTo(SinkTestSupport.expectedUuids(1, n));
        assertThat(POSTHOG.events()).hasSize(n);
        List<RecordedRequest> capture =
                POSTHOG.requests().stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(capture).allSatisfy(r -> assertThat(r.path()).isEqualTo(SINGLE));
        assertThat(serverErrors.firedCount()).isPositive();
        assertThat(capture).hasSize(n + serverErrors.firedCount());
    }

    @Test
    void refusesBatchOptions() {
        assertThatThrownBy(
                        () ->
                                PostHogSink.<PostHogEvent>builder()
                                        .setProjectApiKey("phc_x")
                                        .setConverter(PostHogEventConverters.events())
                                        .setCaptureEndpoint(CaptureEndpoint.SINGLE_EVENT)
                                        .setMaxBatchSize(50)
                                        .build())
                .hasMessageContaining("one event per request");
        assertThatThrownBy(
                        () ->
                                PostHogSink.<PostHogEvent>builder()
                                        .setProjectApiKey("phc_x")
                                        .setConverter(PostHogEventConverters.events())
                                        .setCaptureEndpoint(CaptureEndpoint.SINGLE_EVENT)
                                        .setHistoricalMigration(true)
                                        .build())
                .hasMessageContaining("/batch/");
        assertThat(
                        PostHogSink.<PostHogEvent>builder()
                                .setProjectApiKey("phc_x")
                                .setConverter(PostHogEventConverters.events())
                                .setCaptureEndpoint(CaptureEndpoint.SINGLE_EVENT)
                                .build()
                                .writerConfiguration()
                                .getMaxBatchSize())
                .isEqualTo(1);
    }
}
