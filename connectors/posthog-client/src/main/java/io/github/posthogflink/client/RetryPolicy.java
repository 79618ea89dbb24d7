package io.github.posthogflink.client;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter. {@code maxRetries = 3} means at most four requests.
 * A server's {@code Retry-After} wins over the computed delay, capped at {@link #maxRetryAfter()}.
 */
public record RetryPolicy(
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        Duration maxRetryAfter)
        implements Serializable {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(
                    3, Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60));

    public static final RetryPolicy NONE =
            new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1.0, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1");
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, initialBackoff, maxBackoff, multiplier, maxRetryAfter);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxRetries, initial, max, multiplier, maxRetryAfter);
    }

    /**
     * The delay before retry number {@code retry} (1-based): a random value between half and the
     * whole of {@code initial × multiplier^(retry-1)}, capped at {@code maxBackoff}; or the
     * server's {@code Retry-After} when it asked for one.
     */
    public Duration delayBeforeRetry(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        }
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
        long capped = (long) Math.min(base, (double) maxBackoff.toNanos());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofNanos(jittered);
    }
}
