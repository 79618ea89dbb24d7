package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.api.ListParams;
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

import static org.assertj.core.api.Assertions.assertThat;

/** More concurrent calls than pooled connections: the extra calls wait for one. */
class ConnectionLimitTest {
    private static final String FLAGS = "/api/projects/42/feature_flags/";

    @RegisterExtension final RecordingServer server = new RecordingServer();

    @Test
    void callsBeyondMaxConnectionsWaitForAConnectionInsteadOfFailing() throws Exception {
        server.on("GET", FLAGS)
                .reply(
                        Reply.json(200, "{\"next\":null,\"results\":[]}")
                                .after(Duration.ofMillis(50)));
        List<CompletableFuture<?>> calls = new ArrayList<>();
        try (PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server)
                                .maxConnections(2)
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            for (int i = 0; i < 12; i++) {
                calls.add(client.featureFlags().list(ListParams.create().offset(i)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .handle((ok, error) -> null)
                    .get(20, TimeUnit.SECONDS);
        }

        assertThat(calls).allMatch(c -> !c.isCompletedExceptionally());
        List<Long> arrivals =
                server.requests("GET", FLAGS).stream()
                        .map(r -> TimeUnit.NANOSECONDS.toMillis(r.receivedNanos()))
                        .sorted()
                        .toList();
        assertThat(arrivals).hasSize(12);
        // Two at a time, 50 ms each: six rounds; all at once would arrive within a few ms.
        assertThat(arrivals.get(11) - arrivals.get(0)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void callsAbandonedWhileWaitingForAConnectionAreNeverSent() throws Exception {
        // A slow PostHog: 1 connection, each answer 300 ms. Callers give up after 100 ms.
        server.on("GET", FLAGS)
                .reply(
                        Reply.json(200, "{\"next\":null,\"results\":[]}")
                                .after(Duration.ofMillis(300)));
        List<CompletableFuture<?>> calls = new ArrayList<>();
        try (PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server)
                                .maxConnections(1)
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            for (int i = 0; i < 10; i++) {
                calls.add(
                        client.featureFlags()
                                .list(ListParams.create().offset(i))
                                .orTimeout(100, TimeUnit.MILLISECONDS));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .handle((ok, error) -> null)
                    .get(10, TimeUnit.SECONDS);
            // Recovery: a fresh call goes out right away, with no stale backlog before it.
            server.on("GET", FLAGS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
            PostHogClient.await(client.featureFlags().list(ListParams.create().offset(99)));
        }

        assertThat(calls).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(server.requests("GET", FLAGS))
                .extracting(r -> r.queryParam("offset"))
                .as("the call in flight and the new one; none of the nine abandoned ones")
                .containsExactly("0", "99");
    }

    @Test
    void aFullQueueFailsTheExtraCallAtOnce() throws Exception {
        server.on("GET", FLAGS)
                .reply(
                        Reply.json(200, "{\"next\":null,\"results\":[]}")
                                .after(Duration.ofMillis(200)));
        try (PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server)
                                .maxConnections(1)
                                .maxQueuedRequests(2)
                                .retryPolicy(RetryPolicy.NONE)
                                .build())) {
            List<CompletableFuture<?>> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                admitted.add(client.featureFlags().list(ListParams.create().offset(i)));
            }
            CompletableFuture<?> extra = client.featureFlags().list(ListParams.create());

            assertThat(extra)
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .withMessageContaining("2 requests already wait for one of 1 connections");
            CompletableFuture.allOf(admitted.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
        }
        assertThat(server.requests("GET", FLAGS)).hasSize(3);
    }
}
