package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RetryTest {
    private static final String FLAG = "/api/projects/42/feature_flags/12/";
    private static final String FLAGS = "/api/projects/42/feature_flags/";
    private static final String FLAG_JSON = "{\"id\":12,\"key\":\"beta\"}";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final List<String> responses = new CopyOnWriteArrayList<>();
    private final RequestListener listener =
            new RequestListener() {
                @Override
                public void onRetry(String endpoint, int attempt, String cause) {
                    retries.add(endpoint + " #" + attempt + " " + cause);
                }

                @Override
                public void onResponse(String endpoint, int status, long nanos) {
                    responses.add(endpoint + " " + status);
                }
            };
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build(), listener);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** A client that waits up to PostHog's hour on 429s, as by default. */
    private void usePatientClient() {
        useClient(
                TestClients.FAST_RETRIES.withMaxThrottleWait(
                        RetryPolicy.DEFAULT_MAX_THROTTLE_WAIT));
    }

    /** Replaces the test's client by one with this retry policy (closed after the test). */
    private void useClient(RetryPolicy policy) {
        client.close();
        client =
                PostHogClient.create(
                        TestClients.config(server).retryPolicy(policy).build(), listener);
    }

    private PostHogException failure(Runnable call) {
        try {
            call.run();
        } catch (PostHogException e) {
            return e;
        }
        throw new AssertionError("Expected a PostHogException");
    }

    @Test
    void a503IsRetriedUntilItSucceeds() {
        server.on("GET", FLAG)
                .reply(Reply.status(503), Reply.status(503), Reply.json(200, FLAG_JSON));

        assertThat(PostHogClient.await(client.featureFlags().get(12)).path("key").asText())
                .isEqualTo("beta");

        assertThat(server.requests()).hasSize(3);
        assertThat(retries).containsExactly("GET " + FLAG + " #1 503", "GET " + FLAG + " #2 503");
        assertThat(responses)
                .containsExactly(
                        "GET " + FLAG + " 503", "GET " + FLAG + " 503", "GET " + FLAG + " 200");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 504})
    void otherTransientStatusesAreRetried(int status) {
        server.on("GET", FLAG).reply(Reply.status(status), Reply.json(200, FLAG_JSON));

        PostHogClient.await(client.featureFlags().get(12));

        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void a429WaitsForRetryAfter() {
        server.on("GET", FLAG)
                .reply(
                        Reply.error(
                                        429,
                                        "throttled_error",
                                        "throttled",
                                        "Request was throttled. Expected available in 1 second.",
                                        null)
                                .header("Retry-After", "1"),
                        Reply.json(200, FLAG_JSON));
        usePatientClient();

        PostHogClient.await(client.featureFlags().get(12));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(2);
        long gapMillis = (sent.get(1).receivedNanos() - sent.get(0).receivedNanos()) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(900);
    }

    @Test
    void retriesAreBoundedByMaxRetries() {
        server.on("GET", FLAG).reply(Reply.error(503, "server_error", "unavailable", "down", null));

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests()).hasSize(4);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.endpoint()).isEqualTo("GET " + FLAG);
        assertThat(retries).hasSize(3);
    }

    @Test
    void a429DoesNotCountAgainstMaxRetries() {
        server.on("GET", FLAG)
                .reply(
                        Reply.status(429).header("Retry-After", "0"),
                        Reply.status(429).header("Retry-After", "0"),
                        Reply.status(429).header("Retry-After", "0"),
                        Reply.status(429).header("Retry-After", "0"),
                        Reply.status(503),
                        Reply.status(429).header("Retry-After", "0"),
                        Reply.json(200, FLAG_JSON));

        PostHogClient.await(client.featureFlags().get(12));

        assertThat(server.requests()).hasSize(7);
        assertThat(retries).hasSize(6).last().asString().endsWith("#6 429");
    }

    @Test
    void throttlingIsBoundedByMaxThrottleWaitAndSaysSo() {
        // Retry-After: 0 still backs off (never a spin), and the waits add up to the bound.
        useClient(TestClients.FAST_RETRIES.withMaxThrottleWait(Duration.ofMillis(300)));
        server.on("GET", FLAG).reply(Reply.status(429).header("Retry-After", "0"));

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests().size()).isBetween(10, 61);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ZERO);
        assertThat(e.getMessage()).contains("maxThrottleWait of 300 ms");
    }

    @Test
    void aRetryAfterBeyondWhatThePolicyAllowsFailsAtOnceSayingWhy() {
        // An hourly window spent: PostHog asks for 50 minutes. Retrying after a capped minute
        // would only meet another 429; with 10 minutes allowed the call fails at once.
        useClient(TestClients.FAST_RETRIES.withMaxThrottleWait(Duration.ofMinutes(10)));
        server.on("GET", FLAG)
                .reply(
                        Reply.error(
                                        429,
                                        "throttled_error",
                                        "throttled",
                                        "Request was throttled. Expected available in 3000"
                                                + " seconds.",
                                        null)
                                .header("Retry-After", "3000"));

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests()).hasSize(1);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo("throttled");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3000));
        assertThat(e.getMessage())
                .contains("PostHog asks for 3000 s more")
                .contains("maxThrottleWait of 600 s");
    }

    @Test
    void aLongRetryAfterIsWaitedOutWithinThePolicy() {
        server.on("GET", FLAG)
                .reply(
                        Reply.status(429).header("Retry-After", "2"),
                        Reply.status(429).header("Retry-After", "1"),
                        Reply.json(200, FLAG_JSON));
        usePatientClient();

        PostHogClient.await(client.featureFlags().get(12));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(3);
        assertThat((sent.get(2).receivedNanos() - sent.get(0).receivedNanos()) / 1_000_000)
                .isGreaterThanOrEqualTo(2900);
        assertThat(retries).containsExactly("GET " + FLAG + " #1 429", "GET " + FLAG + " #2 429");
    }

    @Test
    void retryPolicyNoneHandsA429StraightToTheCaller() {
        useClient(RetryPolicy.NONE);
        server.on("GET", FLAG).reply(Reply.status(429).header("Retry-After", "7"));

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests()).hasSize(1);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.getMessage()).doesNotContain("maxThrottleWait");
    }

    @Test
    void maxRetriesZeroSendsOnce() {
        server.on("GET", FLAG).reply(Reply.status(503));
        try (PostHogClient once =
                PostHogClient.create(
                        TestClients.config(server)
                                .retryPolicy(TestClients.FAST_RETRIES.withMaxRetries(0))
                                .build())) {
            PostHogException e = failure(() -> PostHogClient.await(once.featureFlags().get(12)));
            assertThat(e.status()).isEqualTo(503);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413})
    void clientErrorsAreNotRetried(int status) {
        server.on("GET", FLAG).reply(Reply.error(status, "invalid_request", "x", "no", null));

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests()).hasSize(1);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.isRetryable()).isFalse();
        assertThat(retries).isEmpty();
    }

    @Test
    void aFlagCreateIsNotRetriedOn503() {
        server.on("POST", FLAGS).reply(Reply.status(503), Reply.json(201, FLAG_JSON));

        PostHogException e =
                failure(
                        () ->
                                PostHogClient.await(
                                        client.featureFlags().create(Map.of("key", "beta"))));

        assertThat(server.requests()).hasSize(1);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void aFlagCreateIsRetriedOn429() {
        server.on("POST", FLAGS)
                .reply(Reply.status(429).header("Retry-After", "0"), Reply.json(201, FLAG_JSON));

        PostHogClient.await(client.featureFlags().create(Map.of("key", "beta")));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).bodyText()).isEqualTo(sent.get(0).bodyText());
    }

    @Test
    void aDroppedConnectionIsRetriedForARetrySafeCall() {
        server.on("GET", FLAG).reply(Reply.drop(), Reply.json(200, FLAG_JSON));

        PostHogClient.await(client.featureFlags().get(12));

        assertThat(server.requests()).hasSize(2);
        assertThat(retries).containsExactly("GET " + FLAG + " #1 connection");
    }

    @Test
    void droppedConnectionsSurfaceAsStatusZeroRetryable() {
        server.on("GET", FLAG).reply(Reply.drop());

        PostHogException e = failure(() -> PostHogClient.await(client.featureFlags().get(12)));

        assertThat(server.requests()).hasSize(4);
        assertThat(e.status()).isZero();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.code()).isEqualTo("transport_error");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void aDroppedConnectionIsNotRetriedForACreate() {
        server.on("POST", FLAGS).reply(Reply.drop(), Reply.json(201, FLAG_JSON));

        PostHogException e =
                failure(
                        () ->
                                PostHogClient.await(
                                        client.featureFlags().create(Map.of("key", "beta"))));

        assertThat(server.requests()).hasSize(1);
        assertThat(e.status()).isZero();
    }

    @Test
    void connectionRefusedIsRetriedAndSurfacesAsStatusZero() throws IOException {
        PostHogClientConfig config =
                TestClients.config(server).host("http://127.0.0.1:" + closedPort()).build();
        try (PostHogClient refused = PostHogClient.create(config, listener)) {
            PostHogException e = failure(() -> PostHogClient.await(refused.featureFlags().get(12)));

            assertThat(e.status()).isZero();
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.endpoint()).isEqualTo("GET " + FLAG);
        }
        assertThat(retries).hasSize(3).allMatch(r -> r.endsWith("connection"));
    }

    @Test
    void aTimeoutIsRetriedAndSurfacesAsStatusZero() {
        server.on("GET", FLAG).reply(Reply.json(200, FLAG_JSON).after(Duration.ofMillis(800)));
        PostHogClientConfig config =
                TestClients.config(server)
                        .requestTimeout(Duration.ofMillis(200))
                        .retryPolicy(TestClients.FAST_RETRIES.withMaxRetries(1))
                        .build();
        try (PostHogClient slow = PostHogClient.create(config, listener)) {
            PostHogException e = failure(() -> PostHogClient.await(slow.featureFlags().get(12)));

            assertThat(e.status()).isZero();
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.code()).isEqualTo("timeout");
        }
        assertThat(retries).containsExactly("GET " + FLAG + " #1 timeout");
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
