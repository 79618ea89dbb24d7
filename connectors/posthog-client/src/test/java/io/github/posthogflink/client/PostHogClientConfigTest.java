package io.github.posthogflink.client;

import io.github.posthogflink.client.ratelimit.RateLimitClass;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostHogClientConfigTest {

    @ParameterizedTest
    @CsvSource({
        "https://eu.i.posthog.com, https://eu.i.posthog.com",
        "https://eu.i.posthog.com/, https://eu.i.posthog.com",
        "https://eu.i.posthog.com//, https://eu.i.posthog.com",
        "'  https://us.i.posthog.com  ', https://us.i.posthog.com",
        "us.i.posthog.com, https://us.i.posthog.com",
        "posthog.example.com:8443, https://posthog.example.com:8443",
        "http://localhost:8000/, http://localhost:8000",
        "http://127.0.0.1:8010, http://127.0.0.1:8010",
        "https://example.com/posthog/, https://example.com/posthog",
    })
    void hostsAreNormalized(String given, String expected) {
        assertThat(PostHogHosts.normalize(given)).isEqualTo(expected);
        assertThat(PostHogClientConfig.builder().host(given).build().host()).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "   ",
                "ftp://eu.i.posthog.com",
                "https://",
                "http:///path",
                "https://eu.i.posthog.com?token=x",
                "https://eu.i.posthog.com/#frag",
                "https://bad host.com",
                "mailto:team@posthog.com",
                "https://user:SECRETpassword@posthog.example.com"
            })
    void badHostsAreRefused(String host) {
        assertThatThrownBy(() -> PostHogClientConfig.builder().host(host).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aBadApiHostIsRefusedToo() {
        assertThatThrownBy(() -> PostHogClientConfig.builder().apiHost("ftp://x.example").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "https://us.i.posthog.com, https://us.posthog.com",
        "https://US.I.POSTHOG.COM/, https://us.posthog.com",
        "https://app.posthog.com, https://us.posthog.com",
        "https://eu.i.posthog.com, https://eu.posthog.com",
        "eu.i.posthog.com, https://eu.posthog.com",
        "https://posthog.example.com, https://posthog.example.com",
        "http://localhost:8000/, http://localhost:8000",
    })
    void theApiHostFollowsTheIngestionHost(String host, String apiHost) {
        assertThat(PostHogClientConfig.builder().host(host).build().apiHost()).isEqualTo(apiHost);
        assertThat(PostHogHosts.apiHostFor(host)).isEqualTo(apiHost);
    }

    @Test
    void anExplicitApiHostWins() {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host("https://ingest.example.com")
                        .apiHost("https://app.example.com/")
                        .build();

        assertThat(config.host()).isEqualTo("https://ingest.example.com");
        assertThat(config.apiHost()).isEqualTo("https://app.example.com");
    }

    @Test
    void changingTheHostThroughToBuilderDerivesTheApiHostAgain() {
        PostHogClientConfig us =
                PostHogClientConfig.builder().host(PostHogHosts.US_INGESTION).build();

        PostHogClientConfig eu = us.toBuilder().host(PostHogHosts.EU_INGESTION).build();

        assertThat(eu.apiHost()).isEqualTo(PostHogHosts.EU_API);
    }

    @Test
    void anExplicitApiHostSurvivesToBuilder() {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host("https://ingest.example.com")
                        .apiHost("https://app.example.com")
                        .build();

        PostHogClientConfig copy = config.toBuilder().host("https://ingest2.example.com").build();

        assertThat(copy.apiHost()).isEqualTo("https://app.example.com");
    }

    @Test
    void defaultsPointAtUsCloud() {
        PostHogClientConfig config = PostHogClientConfig.builder().build();

        assertThat(config.host()).isEqualTo(PostHogHosts.US_INGESTION);
        assertThat(config.apiHost()).isEqualTo(PostHogHosts.US_API);
        assertThat(config.projectApiKey()).isNull();
        assertThat(config.personalApiKey()).isNull();
        assertThat(config.gzip()).isTrue();
        assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(config.rateLimitPolicy().isEnabled()).isTrue();
        assertThat(config.userAgent()).startsWith("posthog-flink/");
        assertThat(config.userAgent()).doesNotContain("${");
    }

    @Test
    void aPersonalKeyIsRefusedAsTheProjectKeyWithoutShowingIt() {
        assertThatThrownBy(
                        () ->
                                PostHogClientConfig.builder()
                                        .projectApiKey("phx_SECRETpersonal456")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phc_")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void blankKeysAndIdsCountAsUnsetAndKeysAreTrimmed() {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .projectApiKey("  ")
                        .personalApiKey(" phx_abc ")
                        .flagsSecureKey("")
                        .projectId(" ")
                        .build();

        assertThat(config.projectApiKey()).isNull();
        assertThat(config.personalApiKey()).isEqualTo("phx_abc");
        assertThat(config.flagsSecureKey()).isNull();
        assertThat(config.projectId()).isNull();
        assertThat(PostHogClientConfig.builder().projectId(42L).build().projectId())
                .isEqualTo("42");
    }

    @Test
    void limitsAndTimeoutsAreValidated() {
        assertThatThrownBy(() -> PostHogClientConfig.builder().maxConnections(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostHogClientConfig.builder().ioThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> PostHogClientConfig.builder().requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                PostHogClientConfig.builder()
                                        .connectTimeout(Duration.ofSeconds(-1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostHogClientConfig.builder().retryPolicy(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void survivesJavaSerializationAndToBuilder() throws Exception {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host("https://eu.i.posthog.com")
                        .projectApiKey("phc_SECRETproject123")
                        .personalApiKey("phx_SECRETpersonal456")
                        .flagsSecureKey("phs_SECRETsecure789")
                        .projectId(42)
                        .connectTimeout(Duration.ofSeconds(3))
                        .requestTimeout(Duration.ofSeconds(7))
                        .maxConnections(8)
                        .ioThreads(2)
                        .userAgent("posthog-flink/test")
                        .retryPolicy(RetryPolicy.DEFAULT.withMaxRetries(5))
                        .rateLimitPolicy(RateLimitPolicy.postHogDefaults().splitAcross(4))
                        .gzip(false)
                        .build();

        PostHogClientConfig copy = roundTrip(config);

        for (PostHogClientConfig c : new PostHogClientConfig[] {copy, config.toBuilder().build()}) {
            assertThat(c.host()).isEqualTo("https://eu.i.posthog.com");
            assertThat(c.apiHost()).isEqualTo("https://eu.posthog.com");
            assertThat(c.projectApiKey()).isEqualTo("phc_SECRETproject123");
            assertThat(c.personalApiKey()).isEqualTo("phx_SECRETpersonal456");
            assertThat(c.flagsSecureKey()).isEqualTo("phs_SECRETsecure789");
            assertThat(c.projectId()).isEqualTo("42");
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(c.maxConnections()).isEqualTo(8);
            assertThat(c.ioThreads()).isEqualTo(2);
            assertThat(c.userAgent()).isEqualTo("posthog-flink/test");
            assertThat(c.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT.withMaxRetries(5));
            assertThat(c.rateLimitPolicy().share()).isEqualTo(0.25);
            assertThat(c.rateLimitPolicy().effectiveWindows(RateLimitClass.CRUD))
                    .isEqualTo(config.rateLimitPolicy().effectiveWindows(RateLimitClass.CRUD));
            assertThat(c.gzip()).isFalse();
            assertThat(c.toString()).isEqualTo(config.toString()).doesNotContain("SECRET");
        }
    }

    @Test
    void retryPolicyValidatesAndComputesBoundedJitteredDelays() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxRetries(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0.5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);

        RetryPolicy policy =
                RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int i = 0; i < 50; i++) {
            assertThat(policy.delayBeforeRetry(1, null).toMillis()).isBetween(50L, 100L);
            assertThat(policy.delayBeforeRetry(3, null).toMillis()).isBetween(200L, 400L);
            assertThat(policy.delayBeforeRetry(10, null).toMillis()).isBetween(500L, 1000L);
        }
        // After a failure, Retry-After wins over backoff, capped at maxBackoff.
        assertThat(policy.delayBeforeRetry(1, Duration.ofMillis(300)))
                .isEqualTo(Duration.ofMillis(300));
        assertThat(policy.delayBeforeRetry(1, Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofMillis(1000));
        // After a 429, Retry-After is waited out whole, within maxThrottleWait (1 h by default).
        assertThat(policy.delayWhenThrottled(1, Duration.ZERO, Duration.ofMinutes(50)))
                .isEqualTo(Duration.ofMinutes(50));
        assertThat(policy.delayWhenThrottled(2, Duration.ofMinutes(50), Duration.ofMinutes(20)))
                .as("beyond the hour")
                .isNull();
        assertThat(policy.delayWhenThrottled(1, Duration.ZERO, Duration.ZERO).toMillis())
                .as("Retry-After: 0 still backs off")
                .isBetween(50L, 100L);
        assertThat(RetryPolicy.NONE.delayWhenThrottled(1, Duration.ZERO, Duration.ofSeconds(1)))
                .isNull();
        assertThat(RetryPolicy.NONE.delayWhenThrottled(1, Duration.ZERO, Duration.ZERO))
                .as("no waiting at all: a Retry-After of 0 must not be repeated at once, in a loop")
                .isNull();
        assertThat(RetryPolicy.NONE.maxRetries()).isZero();
    }

    private static PostHogClientConfig roundTrip(PostHogClientConfig config) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (PostHogClientConfig) in.readObject();
        }
    }
}
