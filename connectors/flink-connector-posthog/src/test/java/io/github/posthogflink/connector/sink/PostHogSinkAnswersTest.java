package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.Fault;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers that are not what they seem: a 2xx from something else, Retry-After 0, late answers. */
@Timeout(180)
class PostHogSinkAnswersTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    private static final RouteMatcher BATCH = RouteMatcher.path("POST", "/batch/");

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

    private static List<RecordedRequest> batches() {
        return POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
    }

    @Test
    void a200ThatIsNotPostHogsAnswerFailsTheJobNamingTheHostAndTheAnswer() {
        // A proxy or a wrong host answering 200 with a page: the events were not captured.
        POSTHOG.faults()
                .add(
                        FaultRule.matching(BATCH)
                                .fault(
                                        new Fault.Status(
                                                200,
                                                null,
                                                "<html><body>Welcome to nginx! key="
                                                        + POSTHOG.projectApiKey()
                                                        + "</body></html>"))
                                .always());
        StreamExecutionEnvironment env = env();
        env.fromSequence(1, 10).sinkTo(SinkTestSupport.longSink(POSTHOG).build());

        assertThatThrownBy(() -> env.execute("not posthog"))
                .satisfies(
                        e -> {
                            String message =
                                    ExceptionUtils.findThrowable(e, PostHogSinkException.class)
                                            .orElseThrow()
                                            .getMessage();
                            assertThat(message)
                                    .contains(POSTHOG.baseUrl())
                                    .contains("/batch/")
                                    .contains("HTTP 200")
                                    .contains("Welcome to nginx!")
                                    .contains("{\"status\":\"Ok\"}");
                            assertThat(ExceptionUtils.stringifyException(e))
                                    .doesNotContain(POSTHOG.projectApiKey());
                        });
        assertThat(POSTHOG.dedupedEvents()).isEmpty();
    }

    @Test
    void retryAfterZeroBacksOffInsteadOfSpinning() throws Exception {
        // Retry-After: 0 (and NaN, which the client reads as 0) used to retry at once, in a loop.
        int throttles = 6;
        POSTHOG.faults().add(FaultRule.matching(BATCH).status(429, 0).times(throttles));
        StreamExecutionEnvironment env = env();
        env.fromSequence(1, 10)
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setRetryBackoff(Duration.ofMillis(40), Duration.ofSeconds(2))
                                .build());
        env.execute("retry after 0");

        List<RecordedRequest> requests = batches();
        assertThat(requests).hasSize(throttles + 1);
        assertThat(requests.get(0).status()).isEqualTo(429);
        assertThat(requests.get(throttles).status()).isEqualTo(200);
        // at least half of 40 × (1 + 2 + 4 + 8 + 16 + 32) ms of jittered backoff
        assertThat(
                        Duration.between(
                                requests.get(0).receivedAt(), requests.get(throttles).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(20 * 63));
        assertThat(POSTHOG.dedupedEvents()).hasSize(10);
    }

    @Test
    void aLateAnswerAfterTheRequestTimeoutDoesNotHandTheRefusalTwice() throws Exception {
        // The first request (with the event PostHog refuses) is answered 2 s late, after the
        // sink's request timeout resubmitted it; the resubmission's 400 is bisected down to the
        // refused event, and so was the late 400 to the same event: two dead letters for one.
        POSTHOG.faults().add(FaultRule.matching(BATCH).delay(Duration.ofSeconds(2)).times(1));
        int n = 600;
        StreamExecutionEnvironment env = env();
        // paced at 200 events/s, so the job outlives the late answer
        env.fromSource(
                        new DataGeneratorSource<>(
                                PostHogSinkAnswersTest::json,
                                n,
                                RateLimiterStrategy.perSecond(200),
                                Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "paced")
                .sinkTo(
                        PostHogSink.<String>builder()
                                .setHost(POSTHOG.baseUrl())
                                .setProjectApiKey(POSTHOG.projectApiKey())
                                .setConverter(PostHogEventConverters.jsonStrings())
                                .setEventIdentity(json -> json)
                                .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                                .setMaxTimeInBufferMS(100)
                                .setRequestTimeoutMS(500)
                                .setErrorHandler(SinkTestSupport::collect)
                                .build());
        env.execute("late answer");

        assertThat(SinkTestSupport.DEAD_LETTERS)
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(RejectReason.REJECTED_BY_POSTHOG));
        assertThat(POSTHOG.dedupedEvents()).hasSize(n - 1);
        // the late answer did come, while the job was running, and so did the resubmission's
        assertThat(batches().stream().filter(r -> r.status() == 400).count())
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * Event 0 has an empty distinct id, which PostHog refuses (a JSON string, which the sink's
     * checks let through).
     */
    private static String json(long id) {
        return "{\"event\":\"e\",\"distinct_id\":\""
                + (id == 0 ? "" : "user-" + id)
                + "\",\"timestamp\":\"2026-03-01T00:00:00Z\",\"properties\":{\"i\":"
                + id
                + "}}";
    }
}
