package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.assertj.core.api.ThrowableAssert;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real client, configured for a testkit server. */
final class E2EClients {
    private E2EClients() {}

    /** The configuration every suite starts from: the server's host, keys and project. */
    static PostHogClientConfig.Builder config(PostHogTestServer server) {
        return PostHogClientConfig.builder()
                .host(server.baseUrl())
                .projectApiKey(server.projectApiKey())
                .personalApiKey(server.personalApiKey())
                .projectId(server.projectId())
                .requestTimeout(Duration.ofSeconds(10));
    }

    static PostHogClient client(PostHogTestServer server) {
        return PostHogClient.create(config(server).build());
    }

    /** Waits for a call. */
    static <T> T await(CompletableFuture<T> call) {
        return PostHogClient.await(call);
    }

    /** Asserts that a call fails with a {@link PostHogException} of this status. */
    static PostHogException failure(CompletableFuture<?> call, int status) {
        ThrowableAssert.ThrowingCallable waiting = () -> PostHogClient.await(call);
        assertThatThrownBy(waiting)
                .isInstanceOf(PostHogException.class)
                .extracting(e -> ((PostHogException) e).status())
                .isEqualTo(status);
        try {
            PostHogClient.await(call);
        } catch (PostHogException e) {
            return e;
        }
        throw new AssertionError("unreachable");
    }
}
