package io.github.posthogflink.client;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a call is repeated. Failures (408, 5xx, timeouts, connection errors) get bounded exponential
 * backoff with jitter: {@code maxRetries = 3} means at most four requests. A 429 is PostHog asking
 * to wait, not a failure: it does not count against {@code maxRetries}; the call waits PostHog's
 * {@code Retry-After} (at least the backoff) and goes again, for at most {@code maxThrottleWait} in
 * all. When PostHog asks for a wait beyond what is left of it, the call fails at once with a
 * message that says so, rather than retrying early into another 429.
 */
public record RetryPolicy(
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        Duration maxThrottleWait)
        implements Serializable {

    /**
     * PostHog's longest throttle window is an hour ({@code posthog/rate_limit.py}), so by default a
     * throttled call may wait out one whole window.
     */
    public static final Duration DEFAULT_MAX_THROTTLE_WAIT = Duration.ofHours(1);

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(
                    3,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    2.0,
                    DEFAULT_MAX_THROTTLE_WAIT);

    /** No retries and no waiting on 429s: every failure reaches the caller as it came. */
    public static final RetryPolicy NONE =
            new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1.0, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1");
        }
        if (maxThrottleWait == null || maxThrottleWait.isNegative()) {
            throw new IllegalArgumentException("maxThrottleWait must be >= 0");
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, initialBackoff, maxBackoff, multiplier, maxThrottleWait);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxRetries, initial, max, multiplier, maxThrottleWait);
    }

    /** The total time one call may wait on 429s; zero gives a 429 straight to the caller. */
    public RetryPolicy withMaxThrottleWait(Duration wait) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, wait);
    }

    /**
     * The delay before retry number {@code retry} (1-based) after a failure: a random value between
     * half and the whole of {@code initial × multiplier^(retry-1)}, capped at {@code maxBackoff};
     * or the server's {@code Retry-After} when it asked for one (capped at {@code maxBackoff}).
     */
    public Duration delayBeforeRetry(int retry, @Nullable Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        return backoff(retry);
    }

    /**
     * The wait before repeating a call PostHog answered with its {@code throttle}-th 429 (1-based),
     * having waited {@code waitedSoFar} on the earlier ones: {@code Retry-After} and never less
     * than the backoff (so that {@code Retry-After: 0} cannot spin); null when that wait would go
     * beyond {@code maxThrottleWait}, and always when {@code maxThrottleWait} is zero (the caller
     * handles 429s itself).
     */
    @Nullable
    public Duration delayWhenThrottled(
            int throttle, Duration waitedSoFar, @Nullable Duration retryAfter) {
        if (maxThrottleWait.isZero()) {
            return null;
        }
        Duration backoff = backoff(throttle);
        Duration wait =
                retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
        return waitedSoFar.plus(wait).compareTo(maxThrottleWait) > 0 ? null : wait;
    }

    private Duration backoff(int retry) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
        long capped = (long) Math.min(base, (double) maxBackoff.toNanos());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofNanos(jittered);
    }
}
