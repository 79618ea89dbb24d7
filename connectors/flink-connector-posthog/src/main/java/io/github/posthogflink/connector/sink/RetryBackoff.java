package io.github.posthogflink.connector.sink;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delay before a failed batch goes back into the buffer: exponential backoff over failures with
 * jitter (half to all of {@code initial × 2^(n-1)}, capped), or the server's {@code Retry-After}
 * (capped) when that is longer. A {@code Retry-After} of 0 (or one the client could not read as a
 * positive number, such as {@code NaN}) therefore never makes the sink retry at once in a loop. A
 * success resets the count.
 */
final class RetryBackoff {
    private final Duration initial;
    private final Duration max;
    private final Duration maxRetryAfter;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    RetryBackoff(Duration initial, Duration max, Duration maxRetryAfter) {
        this.initial = initial;
        this.max = max;
        this.maxRetryAfter = maxRetryAfter;
    }

    void succeeded() {
        consecutiveFailures.set(0);
    }

    /** Records a failure and returns how long to wait, by the consecutive failures of all. */
    Duration failed(@Nullable Duration retryAfter) {
        return delay(retryAfter, consecutiveFailures.incrementAndGet());
    }

    /**
     * Records a failure of a batch whose events have now failed {@code batchAttempts} times, and
     * returns how long to wait: by the batch's own failures, so that an isolated failure waits the
     * initial backoff whatever other requests did; by the consecutive failures of all requests when
     * failures are {@code sustained} and that count is higher (an outage backs everything off, new
     * batches too).
     */
    Duration failed(@Nullable Duration retryAfter, int batchAttempts, boolean sustained) {
        int consecutive = consecutiveFailures.incrementAndGet();
        return delay(retryAfter, sustained ? Math.max(batchAttempts, consecutive) : batchAttempts);
    }

    private Duration delay(@Nullable Duration retryAfter, int n) {
        double base = initial.toNanos() * Math.pow(2, Math.min(n - 1, 30));
        long capped = (long) Math.min(base, (double) max.toNanos());
        Duration backoff =
                Duration.ofNanos(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
        if (retryAfter == null || retryAfter.compareTo(backoff) <= 0) {
            return backoff;
        }
        return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
    }

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }
}
