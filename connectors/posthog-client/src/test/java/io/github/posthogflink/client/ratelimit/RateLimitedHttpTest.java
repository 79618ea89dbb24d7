package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.http.RequestListener;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The client-side budget, observed by the server. */
class RateLimitedHttpTest {
    private static final String FLAGS = "/api/projects/42/feature_flags/";
    private static final String PERSONS = "/api/projects/42/persons/";
    private static final long WINDOW_MILLIS = 500;
    private static final int PERMITS = 20;

    /**
     * Jitter between the client's grant and the server seeing the request (event loop, loopback,
     * the server's single dispatcher thread, a busy shared CPU). Without a limiter all 100 calls
     * arrive within a few tens of milliseconds, so half a window still tells limiting apart, while
     * a loaded CI machine (seen: 398 ms gaps with a 500 ms window) stays green. The exact grant
     * times are asserted on virtual time in SlidingWindowRateLimiterTest.
     */
    private static final long TOLERANCE_MILLIS = WINDOW_MILLIS / 2;

    @RegisterExtension final RecordingServer server = new RecordingServer();

    @Test
    void aHundredConcurrentCallsAllSucceedWithinTheBudget() throws Exception {
        server.on("GET", FLAGS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        server.on("GET", PERSONS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        // 40 per 500 ms split across two instances: this client gets 20 per 500 ms.
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(
                                RateLimitClass.CRUD,
                                new Window(2 * PERMITS, Duration.ofMillis(WINDOW_MILLIS)))
                        .splitAcross(2);
        AtomicInteger throttled = new AtomicInteger();
        RequestListener listener =
                new RequestListener() {
                    @Override
                    public void onThrottled(String endpoint, long waitedNanos) {
                        throttled.incrementAndGet();
                    }
                };

        List<CompletableFuture<?>> calls = new ArrayList<>();
        try (PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server).rateLimitPolicy(policy).build(), listener)) {
            // Warm up on another budget: load classes and open a pooled connection per
            // concurrent call, so that the measured gaps show the limiter rather than the
            // set-up time of new connections in the first burst.
            List<CompletableFuture<?>> warmUp = new ArrayList<>();
            for (int i = 0; i < PERMITS; i++) {
                warmUp.add(client.persons().list(ListParams.create()));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                calls.add(client.featureFlags().list(ListParams.create().offset(i)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        }

        assertThat(calls).allMatch(c -> c.isDone() && !c.isCompletedExceptionally());
        List<RecordedRequest> sent = server.requests("GET", FLAGS);
        assertThat(sent).hasSize(100);
        assertThat(sent).extracting(r -> r.queryParam("offset")).doesNotHaveDuplicates();
        long[] millis =
                sent.stream()
                        .mapToLong(r -> TimeUnit.NANOSECONDS.toMillis(r.receivedNanos()))
                        .sorted()
                        .toArray();
        for (int j = 0; j + PERMITS < millis.length; j++) {
            assertThat(millis[j + PERMITS] - millis[j])
                    .as(
                            "requests %d and %d fall in one %d ms window",
                            j, j + PERMITS, WINDOW_MILLIS)
                    .isGreaterThanOrEqualTo(WINDOW_MILLIS - TOLERANCE_MILLIS);
        }
        // Five bursts of 20: the last one at least four windows after the first.
        assertThat(millis[99] - millis[0])
                .isGreaterThanOrEqualTo(4 * WINDOW_MILLIS - TOLERANCE_MILLIS);
        assertThat(throttled.get()).isGreaterThanOrEqualTo(100 - PERMITS);
    }

    @Test
    void publicEndpointsAreNotLimited() throws Exception {
        server.on("POST", "/flags/").reply(Reply.json(200, "{\"flags\":{}}"));
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.CRUD, new Window(1, Duration.ofHours(1)));
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).rateLimitPolicy(policy).build())) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(client.flags().evaluate(FlagsRequest.of("u" + i)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
        }
        assertThat(server.requests()).hasSize(30);
    }

    @Test
    void eachClassHasItsOwnBudget() throws Exception {
        server.on("GET", FLAGS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        server.on("GET", PERSONS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.CRUD, new Window(1, Duration.ofHours(1)));
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).rateLimitPolicy(policy).build())) {
            PostHogClient.await(client.featureFlags().list(ListParams.create()));
            CompletableFuture<?> waiting = client.featureFlags().list(ListParams.create());
            // ANALYTICS still has budget while CRUD is spent for an hour.
            PostHogClient.await(client.persons().list(ListParams.create()));
            assertThat(waiting).isNotDone();
            assertThat(server.requests())
                    .extracting(RecordedRequest::path)
                    .containsExactly(FLAGS, PERSONS);
        }
    }

    @Test
    void insightWritesAndRecordingDeletesSpendTheAnalyticsBudgetAsPostHogThrottlesThem()
            throws Exception {
        // PostHog's insight and session recording viewsets set ClickHouse throttle_classes for
        // every action, so their writes count against the analytics budget, not CRUD.
        String insights = "/api/projects/42/insights/";
        server.on("POST", insights).reply(Reply.json(201, "{\"id\":1}"));
        server.on("DELETE", "/api/projects/42/session_recordings/s1/").reply(Reply.status(204));
        server.on("GET", FLAGS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.ANALYTICS, new Window(1, Duration.ofHours(1)));
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).rateLimitPolicy(policy).build())) {
            PostHogClient.await(client.insights().create(java.util.Map.of("name", "i")));
            CompletableFuture<?> waiting = client.sessionRecordings().delete("s1");
            // CRUD still has budget while ANALYTICS is spent for an hour.
            PostHogClient.await(client.featureFlags().list(ListParams.create()));
            assertThat(waiting).isNotDone();
            assertThat(server.requests())
                    .extracting(RecordedRequest::path)
                    .containsExactly(insights, FLAGS);
        }
    }
}
