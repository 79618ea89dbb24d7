package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.ratelimit.RateLimitClass;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sources in one JVM with the same host and key draw on one query budget. */
class SharedQueryClientsTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @Test
    void sourcesWithTheSameHostAndKeyShareOneClientAndItsBudget() throws Exception {
        PostHogClientConfig config =
                HogQLTestSupport.config(posthog).toBuilder()
                        .rateLimitPolicy(
                                RateLimitPolicy.postHogDefaults()
                                        .withLimits(
                                                RateLimitClass.QUERY,
                                                new Window(2, Duration.ofHours(1))))
                        .build();
        int before = SharedQueryClients.openClients();
        int requestsBefore = HogQLTestSupport.queryRequests(posthog).size();
        HogQLQuery query = HogQLQuery.hogql("SELECT 1");
        try (SharedQueryClients.Lease first = SharedQueryClients.acquire(config);
                SharedQueryClients.Lease second = SharedQueryClients.acquire(config)) {
            assertThat(second.client()).isSameAs(first.client());
            assertThat(SharedQueryClients.openClients()).isEqualTo(before + 1);

            first.client().query().query(query, "a").get(10, TimeUnit.SECONDS);
            second.client().query().query(query, "b").get(10, TimeUnit.SECONDS);
            CompletableFuture<QueryResponse> third = second.client().query().query(query, "c");

            // The hour's two calls are spent by the two sources together.
            assertThatThrownBy(() -> third.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            assertThat(HogQLTestSupport.queryRequests(posthog)).hasSize(requestsBefore + 2);
        }
        assertThat(SharedQueryClients.openClients()).isEqualTo(before);
    }

    @Test
    void aDifferentKeyGetsItsOwnClient() {
        PostHogClientConfig config = HogQLTestSupport.config(posthog);
        PostHogClientConfig other = config.toBuilder().personalApiKey("phx_other").build();
        try (SharedQueryClients.Lease a = SharedQueryClients.acquire(config);
                SharedQueryClients.Lease b = SharedQueryClients.acquire(other)) {
            assertThat(a.client()).isNotSameAs(b.client());
        }
    }

    @Test
    void eachSubtaskOfASlicedReadHasItsOwnPartOfTheBudget() throws Exception {
        PostHogClientConfig config =
                HogQLTestSupport.config(posthog).toBuilder()
                        .rateLimitPolicy(
                                RateLimitPolicy.postHogDefaults()
                                        .withLimits(
                                                RateLimitClass.QUERY,
                                                new Window(4, Duration.ofHours(1))))
                        .build();
        HogQLQuery query = HogQLQuery.hogql("SELECT 1");
        int before = HogQLTestSupport.queryRequests(posthog).size();
        try (SharedQueryClients.Lease first = SharedQueryClients.forSubtask(config, 0, 2);
                SharedQueryClients.Lease second = SharedQueryClients.forSubtask(config, 1, 2);
                SharedQueryClients.Lease firstAgain = SharedQueryClients.forSubtask(config, 0, 2)) {
            assertThat(second.client()).isNotSameAs(first.client());
            assertThat(firstAgain.client()).isSameAs(first.client());
            assertThat(first.client().config().rateLimitPolicy().share()).isEqualTo(0.5);

            first.client().query().query(query, "a").get(10, TimeUnit.SECONDS);
            first.client().query().query(query, "b").get(10, TimeUnit.SECONDS);
            CompletableFuture<QueryResponse> third = first.client().query().query(query, "c");
            second.client().query().query(query, "d").get(10, TimeUnit.SECONDS);

            // Subtask 0 spent its half of the hour's 4 calls; subtask 1 still had its own.
            assertThatThrownBy(() -> third.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            assertThat(HogQLTestSupport.queryRequests(posthog)).hasSize(before + 3);
        }
    }
}
