package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.ratelimit.RateLimitClass;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Closing the client never leaves a caller waiting forever. */
class CloseTest {
    private static final String FLAGS = "/api/projects/42/feature_flags/";

    @RegisterExtension final RecordingServer server = new RecordingServer();

    @Test
    void callsWaitingForRateLimitBudgetFailWhenTheClientCloses() {
        server.on("GET", FLAGS).reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        RateLimitPolicy onePerHour =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.CRUD, new Window(1, Duration.ofHours(1)));
        PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server).rateLimitPolicy(onePerHour).build());
        PostHogClient.await(client.featureFlags().list(ListParams.create()));
        CompletableFuture<?> waiting = client.featureFlags().list(ListParams.create());

        client.close();

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertClosed(waiting);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void callsWaitingToRetryFailWhenTheClientCloses() {
        server.on("GET", FLAGS).reply(Reply.status(429).header("Retry-After", "30"));
        PostHogClient client =
                PostHogClient.create(
                        TestClients.config(server)
                                .retryPolicy(
                                        TestClients.FAST_RETRIES.withMaxThrottleWait(
                                                RetryPolicy.DEFAULT_MAX_THROTTLE_WAIT))
                                .build());
        CompletableFuture<?> retrying = client.featureFlags().list(ListParams.create());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 1);

        client.close();

        await().atMost(Duration.ofSeconds(5)).until(retrying::isDone);
        assertClosed(retrying);
    }

    private static void assertClosed(CompletableFuture<?> call) {
        assertThat(call).isCompletedExceptionally();
        assertThatThrownBy(() -> PostHogClient.await(call))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo("client_closed");
                            assertThat(e.isRetryable()).isFalse();
                            assertThat(e.endpoint()).isEqualTo("GET " + FLAGS);
                        });
    }

    @Test
    void callsAfterCloseFail() {
        PostHogClient client = PostHogClient.create(TestClients.config(server).build());
        client.close();

        CompletableFuture<?> late = client.featureFlags().list(ListParams.create());

        await().atMost(Duration.ofSeconds(5)).until(late::isDone);
        assertClosed(late);
        assertThat(server.requests()).isEmpty();
    }
}
