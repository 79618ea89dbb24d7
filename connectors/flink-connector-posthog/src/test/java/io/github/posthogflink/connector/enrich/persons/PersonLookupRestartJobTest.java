package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope.Rate;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that restarts right after it spent its persons budget, on a scaled clock (PostHog's and the
 * lookup's budget: 2 requests per 4 s instead of 240 per minute). PostHog still counts the failed
 * attempt's requests; a restarted lookup that started with a full budget would burst into 429s.
 */
class PersonLookupRestartJobTest {
    private static final int IDS = 8;

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().rateLimits(true).build();

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.rateLimits().restoreDefaultRates();
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(2, Duration.ofSeconds(4)));
        for (int i = 0; i < IDS; i++) {
            posthog.seed().createPerson("id-" + i, Map.of("i", i));
        }
    }

    /** Fails the first attempt once it has seen {@code after} elements. */
    static final class FailFirstAttempt extends RichMapFunction<String, String> {
        private final int after;
        private int seen;

        FailFirstAttempt(int after) {
            this.after = after;
        }

        @Override
        public String map(String value) {
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0 && ++seen >= after) {
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return value;
        }
    }

    @Test
    void aRestartedLookupStartsWithItsBudgetSpentAndMeetsNo429() throws Exception {
        PersonLookupOptions options =
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        .maxBatchSize(2)
                        .budgetWindows(new Window(2, Duration.ofSeconds(4)))
                        .build();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> "id-" + i).toList();
        PersonLookup<String, String> lookup =
                new PersonLookup<>(options, id -> id, (id, r) -> id + "|" + r.status());
        PersonEnrichment.apply(env.fromData(ids), lookup, options)
                .returns(Types.STRING)
                .map(new FailFirstAttempt(3))
                .returns(Types.STRING)
                .sinkTo(new DiscardingSink<>());

        env.execute("person lookup restarted after spending its budget");

        List<RecordedRequest> requests = TestkitPersons.batchRequests(posthog);
        assertThat(requests).extracting(RecordedRequest::status).containsOnly(200);
        // Two requests before the failure; the restarted attempt asks for all eight ids again.
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2 + IDS / 2);
        assertThat(posthog.counters().getOrDefault("throttled", 0L)).isZero();
    }
}
