package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How PostHog's error answers become {@link PostHogException}s. */
class ErrorsTest {
    private static final String FLAGS = "/api/projects/42/feature_flags/";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static PostHogException failure(CompletableFuture<?> call) {
        try {
            PostHogClient.await(call);
        } catch (PostHogException e) {
            return e;
        }
        throw new AssertionError("Expected a PostHogException");
    }

    @Test
    void theDrfErrorBodyIsCarriedFieldByField() {
        server.on("POST", FLAGS)
                .reply(
                        Reply.error(
                                400,
                                "validation_error",
                                "unique",
                                "There is already a feature flag with this key.",
                                "key"));

        PostHogException e = failure(client.featureFlags().create(Map.of("key", "beta")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("validation_error");
        assertThat(e.code()).isEqualTo("unique");
        assertThat(e.detail()).isEqualTo("There is already a feature flag with this key.");
        assertThat(e.attr()).isEqualTo("key");
        assertThat(e.endpoint()).isEqualTo("POST " + FLAGS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.retryAfter()).isNull();
        assertThat(e.getMessage())
                .isEqualTo(
                        "POST "
                                + FLAGS
                                + " failed with HTTP 400 [unique]: There is already a feature"
                                + " flag with this key.");
    }

    @Test
    void aThrottledAnswerCarriesRetryAfter() {
        server.on("GET", FLAGS)
                .reply(
                        Reply.error(
                                        429,
                                        "throttled_error",
                                        "throttled",
                                        "Request was throttled. Expected available in 0 seconds.",
                                        null)
                                .header("Retry-After", "0"));

        PostHogException e = failure(client.featureFlags().list(ListParams.create()));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("throttled_error");
        assertThat(e.code()).isEqualTo("throttled");
        assertThat(e.attr()).isNull();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aPlainTextCaptureErrorBecomesTheDetail() {
        server.on("POST", "/batch/")
                .reply(Reply.text(400, "failed to decode request: missing field `event`"));

        PostHogException e =
                failure(client.capture().batch(List.of(PostHogEvent.builder("e", "d").build())));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isNull();
        assertThat(e.code()).isNull();
        assertThat(e.detail()).isEqualTo("failed to decode request: missing field `event`");
        assertThat(e.endpoint()).isEqualTo("POST /batch/");
    }

    @Test
    void anErrorFieldIsUsedWhenThereIsNoDetail() {
        server.on("POST", "/flags/").reply(Reply.json(401, "{\"error\":\"API key is not valid\"}"));

        PostHogException e = failure(client.flags().evaluate(FlagsRequest.of("u")));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).isEqualTo("API key is not valid");
        assertThat(e.endpoint()).isEqualTo("POST /flags/");
    }

    @Test
    void aHugeBodyIsCutShort() {
        server.on("GET", FLAGS).reply(Reply.text(400, "x".repeat(10_000)));

        PostHogException e = failure(client.featureFlags().list(ListParams.create()));

        assertThat(e.detail()).hasSizeLessThan(2_100);
    }

    @Test
    void anEmptyErrorBodyLeavesTheFieldsEmpty() {
        server.on("DELETE", "/api/projects/42/surveys/9/").reply(Reply.status(404));

        PostHogException e = failure(client.surveys().delete(9));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.detail()).isNull();
        assertThat(e.getMessage())
                .isEqualTo("DELETE /api/projects/42/surveys/9/ failed with HTTP 404");
    }

    @Test
    void anUnexpectedStatusIsNotASuccess() {
        server.on("GET", FLAGS).reply(Reply.status(302).header("Location", "https://example.com/"));

        PostHogException e = failure(client.featureFlags().list(ListParams.create()));

        assertThat(e.status()).isEqualTo(302);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(ErrorBodies.parseRetryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(ErrorBodies.parseRetryAfter(" 1.5 ")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ErrorBodies.parseRetryAfter(null)).isNull();
        assertThat(ErrorBodies.parseRetryAfter("")).isNull();
        assertThat(ErrorBodies.parseRetryAfter("soon")).isNull();
        String inTenSeconds =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(ErrorBodies.parseRetryAfter(inTenSeconds).toMillis())
                .isCloseTo(10_000L, within(2_000L));
        assertThat(ErrorBodies.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isEqualTo(Duration.ZERO);
    }

    /** Not a delay: as if no Retry-After came (a "NaN" once read as 0 ms and made retries spin). */
    @Test
    void retryAfterIgnoresNonFiniteAndNegativeSeconds() {
        for (String value :
                List.of("NaN", "-NaN", "Infinity", "-Infinity", "-1", "-0.5", "1e400")) {
            assertThat(ErrorBodies.parseRetryAfter(value)).as(value).isNull();
        }
        assertThat(ErrorBodies.parseRetryAfter("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void retryableStatuses() {
        assertThat(List.of(408, 429, 500, 502, 503, 504))
                .allMatch(PostHogException::isRetryableStatus);
        assertThat(List.of(400, 401, 402, 403, 404, 405, 409, 413))
                .noneMatch(PostHogException::isRetryableStatus);
    }
}
