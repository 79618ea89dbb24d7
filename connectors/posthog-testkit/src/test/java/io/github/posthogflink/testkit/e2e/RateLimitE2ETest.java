package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope.Rate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The client's rate limiting and 429 handling against the testkit's throttles. */
class RateLimitE2ETest {
    private static final int PERMITS = 5;

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().rateLimits(true).build();

    @BeforeEach
    void reset() {
        forgetRequests();
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits().restoreDefaultRates();
        // Persons, insights and recordings share clickhouse_burst; dashboards count in burst.
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(PERMITS, Duration.ofSeconds(1)));
        posthog.rateLimits()
                .setRates(ThrottleScope.BURST, new Rate(PERMITS, Duration.ofSeconds(1)));
    }

    private static void forgetRequests() {
        posthog.reset();
        posthog.seed().sessionRecording(Json.object().put("id", "s1"));
    }

    /**
     * Opens a pooled connection per concurrent call on an endpoint without throttles, so that
     * connection set-up in a busy build does not delay the measured burst.
     */
    private static void warmUp(PostHogClient client) throws Exception {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            calls.add(client.flags().evaluate(FlagsRequest.of("warm-up-" + i)));
        }
        awaitAll(calls);
        forgetRequests();
    }

    /**
     * Ten analytics calls (persons, insight writes, a recording) and eight CRUD calls at once,
     * without retries: any 429 would fail a call.
     */
    private static List<CompletableFuture<?>> burst(PostHogClient client) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(client.persons().list(ListParams.create().offset(i)));
        }
        for (int i = 0; i < 3; i++) {
            calls.add(client.insights().create(Map.of("name", "i" + i)));
        }
        calls.add(client.sessionRecordings().get("s1"));
        for (int i = 0; i < 8; i++) {
            calls.add(client.dashboards().list(ListParams.create().offset(i)));
        }
        return calls;
    }

    private static void awaitAll(List<CompletableFuture<?>> calls) throws Exception {
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .handle((ok, error) -> null)
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void clientSideLimitsKeepTheTestkitAtZero429s() throws Exception {
        // The same permits per a longer window than the server's: loopback and scheduling
        // jitter (the client grants, the server sees the request a little later) stay inside
        // the margin.
        Duration window = Duration.ofMillis(2000);
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(
                                io.github.posthogflink.client.ratelimit.ThrottleScope
                                        .CLICKHOUSE_BURST,
                                new Window(PERMITS, window))
                        .withLimits(
                                io.github.posthogflink.client.ratelimit.ThrottleScope.BURST,
                                new Window(PERMITS, window));
        List<CompletableFuture<?>> calls;
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .rateLimitPolicy(policy)
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            warmUp(client);
            calls = burst(client);
            awaitAll(calls);
        }

        assertThat(calls).allMatch(c -> !c.isCompletedExceptionally());
        assertThat(posthog.counters().getOrDefault("status.429", 0L)).isZero();
        assertThat(posthog.counters().get("throttled")).isNull();
        assertThat(posthog.requests()).hasSize(18);
        List<Long> analyticsArrivals =
                posthog.requests().stream()
                        .filter(r -> !r.path().contains("/dashboards/"))
                        .map(r -> r.receivedAt().toEpochMilli())
                        .sorted()
                        .toList();
        // Ten analytics calls, five per window: the last waited for the second window.
        assertThat(analyticsArrivals.get(9) - analyticsArrivals.get(0))
                .isGreaterThanOrEqualTo(window.toMillis() - 200);
    }

    @Test
    void withoutClientSideLimitsTheSameBurstIsThrottled() throws Exception {
        List<CompletableFuture<?>> calls;
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            warmUp(client);
            calls = burst(client);
            awaitAll(calls);
        }

        assertThat(posthog.counters().get("status.429")).isGreaterThanOrEqualTo(8L);
        assertThat(calls)
                .filteredOn(CompletableFuture::isCompletedExceptionally)
                .hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void aThrottledCallWaitsForRetryAfterThenSucceeds() {
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(1, Duration.ofSeconds(2)));
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .build())) {
            await(client.persons().list(ListParams.create()));
            await(client.persons().list(ListParams.create()));
        }

        List<RecordedRequest> requests = posthog.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(200, 429, 200);
        long waited =
                requests.get(2).receivedAt().toEpochMilli()
                        - requests.get(1).receivedAt().toEpochMilli();
        // Retry-After was 2 s; the client's own backoff would have retried after 50-100 ms.
        assertThat(waited).isGreaterThanOrEqualTo(1900);
    }

    @Test
    void anInjected429IsRetriedEvenForACreate() {
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.path("POST", "/api/projects/1/insights/"))
                                .status(429, 1)
                                .times(1));
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .build())) {
            await(client.insights().create(Map.of("name", "once")));
        }

        List<RecordedRequest> requests = posthog.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 201);
        assertThat(
                        requests.get(1).receivedAt().toEpochMilli()
                                - requests.get(0).receivedAt().toEpochMilli())
                .isGreaterThanOrEqualTo(900);
    }

    @Test
    void a429AfterRetriesIsAThrottledPostHogException() {
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(1, Duration.ofMinutes(1)));
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            await(client.persons().list(ListParams.create()));
            PostHogException error =
                    E2EClients.failure(client.persons().list(ListParams.create()), 429);

            assertThat(error.code()).isEqualTo("throttled");
            assertThat(error.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
            assertThat(error.isRetryable()).isTrue();
        }
    }
}
