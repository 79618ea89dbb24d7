package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.capture.PostHogEvent;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How the sink describes a batch that keeps failing: a connection failure names the host, the port
 * and the cause (here a real refused connection), in the retry log's cause and in the exception
 * that fails the job; an HTTP failure keeps its status and metric cause.
 */
class DeliveryFailuresTest {

    @Test
    void aRefusedConnectionNamesTheHostAndPortInTheLogCauseAndTheFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PostHogException refused = refusedBy(port);
        SendOutcome outcome = SendOutcome.retry(List.of(entry()), "connection", null, refused);

        assertThat(DeliveryFailures.describe("connection", refused))
                .isEqualTo("connection refused by 127.0.0.1:" + port);
        PostHogSinkException failure =
                DeliveryFailures.gaveUp(
                        new RetryBudget.GiveUp(Duration.ofSeconds(12), 5, true),
                        outcome,
                        "connection",
                        Duration.ofSeconds(10),
                        RetryBudget.UNBOUNDED);
        assertThat(failure.getMessage())
                .contains("kept failing for 12.0 s over 5 attempts")
                .contains("last: no response (connection refused by 127.0.0.1:" + port + ")")
                .contains("delivery timeout of 10.0 s");
        assertThat(failure.getCause()).isSameAs(refused);
    }

    @Test
    void anHttpFailureKeepsItsMetricCause() {
        PostHogException unavailable =
                new PostHogException(
                        503, "POST /batch/", null, null, "down", null, true, null, null);

        assertThat(DeliveryFailures.describe("http_5xx", unavailable)).isEqualTo("http_5xx");
        assertThat(
                        DeliveryFailures.gaveUp(
                                        new RetryBudget.GiveUp(Duration.ofSeconds(2), 4, false),
                                        SendOutcome.retry(
                                                List.of(entry()), "http_5xx", null, unavailable),
                                        "http_5xx",
                                        Duration.ofMinutes(10),
                                        3)
                                .getMessage())
                .contains("last: HTTP 503, http_5xx")
                .contains("maxRetries = 3");
    }

    private static PostHogException refusedBy(int port) {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host("http://127.0.0.1:" + port)
                        .projectApiKey("phc_test")
                        .retryPolicy(RetryPolicy.DEFAULT.withMaxRetries(0))
                        .build();
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

    private static PostHogRequestEntry entry() {
        return PostHogRequestEntry.of(
                "0190b3c4-0000-7000-8000-000000000001",
                "e",
                "{\"event\":\"e\"}".getBytes(StandardCharsets.UTF_8));
    }
}
