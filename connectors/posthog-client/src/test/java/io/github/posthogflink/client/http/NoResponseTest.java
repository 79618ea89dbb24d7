package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A call that gets no answer names where it went ({@code host:port}) and why: refused, DNS, TLS,
 * timed out. Real sockets: a closed port, a name under the reserved {@code .invalid} domain, TLS
 * spoken to a plain HTTP server, and a server that answers too late.
 */
class NoResponseTest {
    @RegisterExtension final RecordingServer server = new RecordingServer();

    @Test
    void aRefusedConnectionNamesTheHostAndPort() throws Exception {
        int port = RetryTest.closedPort();
        PostHogException e = fail("http://127.0.0.1:" + port);

        assertThat(e.status()).isZero();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.code()).isEqualTo("transport_error");
        assertThat(e.target()).isEqualTo("127.0.0.1:" + port);
        assertThat(e.detail()).isEqualTo("connection refused by 127.0.0.1:" + port);
        assertThat(e.getMessage()).contains("POST /batch/", "connection refused by 127.0.0.1:");
    }

    @Test
    void anUnknownHostIsADnsFailureOnTheSchemesDefaultPort() {
        PostHogException e = fail("https://posthog-flink-test.invalid");

        assertThat(e.target()).isEqualTo("posthog-flink-test.invalid:443");
        assertThat(e.detail())
                .isEqualTo("unknown host posthog-flink-test.invalid (DNS lookup failed)");
    }

    @Test
    void tlsToAPlainHttpServerIsAHandshakeFailure() throws Exception {
        // A plain HTTP server answers a TLS ClientHello with an HTTP error, which is no TLS record.
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // the connection stays open until the client has failed, so it fails on the answer
            java.util.concurrent.CountDownLatch clientFailed =
                    new java.util.concurrent.CountDownLatch(1);
            Thread answering =
                    new Thread(
                            () -> {
                                try (Socket socket = plain.accept()) {
                                    socket.getOutputStream()
                                            .write(
                                                    "HTTP/1.1 400 Bad Request\r\n\r\n"
                                                            .getBytes(StandardCharsets.US_ASCII));
                                    socket.getOutputStream().flush();
                                    clientFailed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                                } catch (Exception ignored) {
                                    // the test reads what the client saw
                                }
                            });
            answering.start();
            PostHogException e = fail("https://127.0.0.1:" + plain.getLocalPort());
            clientFailed.countDown();
            answering.join();

            assertThat(e.detail())
                    .startsWith("TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed");
        }
    }

    @Test
    void anAnswerTooLateIsATimeoutWithItsLimit() {
        server.on("POST", "/batch/")
                .reply(Reply.json(200, "{\"status\":1}").after(Duration.ofMillis(1500)));
        PostHogClientConfig config =
                base(server.url()).requestTimeout(Duration.ofMillis(300)).build();
        PostHogException e = send(config);

        assertThat(e.code()).isEqualTo("timeout");
        assertThat(e.detail())
                .isEqualTo(
                        "no answer from 127.0.0.1:"
                                + server.port()
                                + " in time after 300 ms (timeout)");
    }

    private static PostHogException fail(String host) {
        return send(base(host).build());
    }

    private static PostHogClientConfig.Builder base(String host) {
        return PostHogClientConfig.builder()
                .host(host)
                .projectApiKey(TestClients.PROJECT_KEY)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxRetries(0));
    }

    private static PostHogException send(PostHogClientConfig config) {
        try (PostHogClient client = PostHogClient.create(config)) {
            return catchThrowableOfType(
                    () ->
                            PostHogClient.await(
                                    client.capture()
                                            .batch(
                                                    List.of(
                                                            PostHogEvent.builder("e", "u")
                                                                    .build()))),
                    PostHogException.class);
        }
    }
}
