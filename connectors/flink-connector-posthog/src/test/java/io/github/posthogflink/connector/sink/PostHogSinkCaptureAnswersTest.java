package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink against capture answers PostHog gives today: a 413 for one event too large for its Kafka
 * producer (the request's other events stored), and a quota-limited project's silent 200.
 */
@Timeout(180)
class PostHogSinkCaptureAnswersTest {
    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        SinkTestSupport.DEAD_LETTERS.clear();
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    private static String json(int i, String blob) {
        return "{\"event\":\"e\",\"distinct_id\":\"user-"
                + i
                + "\",\"timestamp\":\"2026-03-01T00:00:00Z\",\"properties\":{\"i\":"
                + i
                + (blob == null ? "" : ",\"blob\":\"" + blob + "\"")
                + "}}";
    }

    private static PostHogSinkBuilder<String> jsonSink() {
        return PostHogSink.<String>builder()
                .setHost(POSTHOG.baseUrl())
                .setProjectApiKey(POSTHOG.projectApiKey())
                .setConverter(PostHogEventConverters.jsonStrings())
                .setEventIdentity(json -> json)
                .setMaxBatchSize(20)
                .setMaxTimeInBufferMS(60_000)
                .setErrorHandler(SinkTestSupport::collect);
    }

    @Test
    void anEventWithinTheSinksRecordLimitButOverPostHogsIsDeadLetteredAndTheRestDelivered()
            throws Exception {
        // Under the sink's default record limit (990,000 bytes of event JSON), over PostHog's
        // 1,000,000-byte Kafka message: capture escapes the event's JSON once more, so 320,000
        // quotes are 640,000 bytes of event JSON (each \") and 1,280,000 in the message.
        String blob = "\\\"".repeat(320_000);
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            input.add(json(i, i == 7 ? blob : null));
        }
        StreamExecutionEnvironment env = env();
        env.fromData(input).sinkTo(jsonSink().build());
        env.execute("per-event 413");

        assertThat(POSTHOG.dedupedEvents()).hasSize(19);
        assertThat(POSTHOG.dedupedEvents())
                .extracting(e -> e.properties().get("i").asInt())
                .doesNotContain(7);
        assertThat(SinkTestSupport.DEAD_LETTERS)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reason()).isEqualTo(RejectReason.REJECTED_BY_POSTHOG);
                            assertThat(d.detail()).contains("413");
                        });
        List<RecordedRequest> batches =
                POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        assertThat(batches.get(0).status()).isEqualTo(413);
    }

    @Test
    void aQuotaLimitedProjectAnswers200SoTheSinkCountsItsEventsAsDelivered() throws Exception {
        POSTHOG.seed().quotaLimit(QuotaLimits.Resource.EVENTS);
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            input.add(json(i, null));
        }
        StreamExecutionEnvironment env = env();
        env.fromData(input).sinkTo(jsonSink().build());
        env.execute("quota limited");

        // PostHog drops them after answering OK: nothing a client can see or retry.
        List<CapturedEvent> stored = POSTHOG.events();
        assertThat(stored).isEmpty();
        assertThat(SinkTestSupport.DEAD_LETTERS).isEmpty();
        assertThat(POSTHOG.requests())
                .filteredOn(r -> r.path().startsWith("/batch"))
                .extracting(RecordedRequest::status)
                .containsOnly(200);
    }
}
