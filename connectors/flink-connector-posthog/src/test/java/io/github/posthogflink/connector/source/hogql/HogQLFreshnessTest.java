package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.query.QueryRefresh;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every poll sees fresh rows (PostHog's cached modes would answer the same rows for minutes), and a
 * slow query is neither re-sent nor left hanging: async execution polls it to the end, a blocking
 * one that times out fails once, clearly.
 */
class HogQLFreshnessTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final String COUNT = "SELECT count() AS n FROM events LIMIT 1";

    @BeforeEach
    void seed() {
        posthog.reset();
        HogQLTestSupport.seedEvents(posthog, 3, 1, 11);
    }

    @AfterEach
    void fast() {
        posthog.queries().executionTime(Duration.ZERO);
    }

    private static HogQLSourceBuilder<Long> counting(PostHogClientConfig config) {
        return HogQLSource.<Long>builder()
                .client(config.toBuilder().retryPolicy(RetryPolicy.NONE).build())
                .snapshot(COUNT)
                .pollInterval(Duration.ofMillis(10))
                .asyncStatusInterval(Duration.ofMillis(20))
                .failureBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .deserializer(
                        HogQLRowDeserializer.mapping(
                                row -> ((Number) row.value(0)).longValue(), Types.LONG));
    }

    private static HogQLSplitReader reader(HogQLSource<Long> source) {
        return HogQLTestSupport.splitReader(source, new HogQLSourceMetrics());
    }

    private static List<Long> counts(RecordsWithSplitIds<HogQLRecord> batch) {
        return HogQLTestSupport.records(batch).stream()
                .map(r -> ((Number) r.values().get(0)).longValue())
                .toList();
    }

    private static void addEvent() {
        HogQLTestSupport.capture(
                posthog,
                List.of(
                        HogQLTestSupport.event(
                                "late-comer", HogQLTestSupport.BASE.plusSeconds(99), Map.of())));
    }

    @Test
    void everyPollSeesTheRowsAddedSinceTheLastOne() throws Exception {
        for (boolean async : List.of(true, false)) {
            posthog.reset();
            HogQLTestSupport.seedEvents(posthog, 3, 1, 11);
            try (HogQLSplitReader reader =
                    reader(
                            counting(HogQLTestSupport.config(posthog))
                                    .asyncExecution(async)
                                    .build())) {
                assertThat(counts(reader.fetch())).containsExactly(3L);
                addEvent();
                assertThat(counts(reader.fetch())).as("async=" + async).containsExactly(4L);
            }
            assertThat(HogQLTestSupport.queryRequests(posthog))
                    .extracting(RecordedRequest::bodyText)
                    .allSatisfy(
                            body ->
                                    assertThat(body)
                                            .contains(async ? "force_async" : "force_blocking"));
        }
    }

    @Test
    void aCachedRefreshModeIsAvailableAndAnswersFromPostHogsCache() throws Exception {
        try (HogQLSplitReader reader =
                reader(
                        counting(HogQLTestSupport.config(posthog))
                                .refresh(QueryRefresh.BLOCKING)
                                .build())) {
            assertThat(counts(reader.fetch())).containsExactly(3L);
            addEvent();
            // within PostHog's 5 minutes, "blocking" answers the cached result
            assertThat(counts(reader.fetch())).containsExactly(3L);
        }
    }

    @Test
    void aSlowQueryRunsAsynchronouslyToTheEndSentOnce() throws Exception {
        posthog.queries().executionTime(Duration.ofMillis(1500));
        PostHogClientConfig impatient =
                HogQLTestSupport.config(posthog).toBuilder()
                        .requestTimeout(Duration.ofMillis(500))
                        .build();
        try (HogQLSplitReader reader = reader(counting(impatient).build())) {
            assertThat(counts(reader.fetch())).containsExactly(3L);
        }
        assertThat(HogQLTestSupport.queryRequests(posthog)).hasSize(1);
    }

    @Test
    void aBlockingQueryThatTimesOutFailsClearlyAndIsNotSentAgain() throws Exception {
        posthog.queries().executionTime(Duration.ofMillis(1500));
        PostHogClientConfig impatient =
                HogQLTestSupport.config(posthog).toBuilder()
                        .requestTimeout(Duration.ofMillis(500))
                        .retryPolicy(RetryPolicy.DEFAULT)
                        .build();
        HogQLSource<Long> source =
                HogQLSource.<Long>builder()
                        .client(impatient)
                        .snapshot(COUNT)
                        .asyncExecution(false)
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> ((Number) row.value(0)).longValue(), Types.LONG))
                        .build();
        try (HogQLSplitReader reader = reader(source)) {
            assertThatThrownBy(reader::fetch)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("query_timeout")
                    .hasMessageContaining("asynchronously");
        }
        // the journal records a request once answered: the slow query's, and no second copy
        await().atMost(Duration.ofSeconds(10))
                .until(() -> HogQLTestSupport.queryRequests(posthog).size() == 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> HogQLTestSupport.queryRequests(posthog).size() == 1);
    }
}
