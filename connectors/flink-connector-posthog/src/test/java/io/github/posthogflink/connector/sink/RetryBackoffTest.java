package io.github.posthogflink.connector.sink;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTest {

    @Test
    void growsExponentiallyWithJitterUpToTheCapAndResetsOnSuccess() {
        RetryBackoff backoff =
                new RetryBackoff(
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5));

        assertThat(backoff.failed(null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.failed(null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.failed(null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        for (int i = 0; i < 40; i++) {
            assertThat(backoff.failed(null)).isLessThanOrEqualTo(Duration.ofMillis(500));
        }
        backoff.succeeded();
        assertThat(backoff.consecutiveFailures()).isZero();
        assertThat(backoff.failed(null)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void retryAfterWinsAndIsCapped() {
        RetryBackoff backoff =
                new RetryBackoff(
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5));

        assertThat(backoff.failed(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.failed(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRetryAfterOfZeroStillBacksOff() {
        // Retry-After: 0, or NaN (which the client reads as 0), must not make retries spin.
        RetryBackoff backoff =
                new RetryBackoff(
                        Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(backoff.failed(Duration.ZERO))
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.failed(Duration.ZERO))
                .isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.failed(Duration.ofMillis(1)))
                .isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
}
