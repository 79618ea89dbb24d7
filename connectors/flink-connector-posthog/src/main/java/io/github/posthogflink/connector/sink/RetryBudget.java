package io.github.posthogflink.connector.sink;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Bounds retries per event, in the spirit of Kafka's {@code delivery.timeout.ms}: each entry that
 * failed remembers when it first failed and how many attempts it has had. A failed batch may be
 * retried while its oldest failure is younger than the delivery timeout and no entry has used up
 * {@code maxRetries}; a retry never waits past the deadline. Delivered or refused entries are
 * forgotten. Entries are tracked by identity (AsyncSink puts the same objects back into its
 * buffer); a restored writer starts afresh.
 */
final class RetryBudget {
    /** {@code maxRetries} meaning "as many as the delivery timeout allows". */
    static final int UNBOUNDED = -1;

    private final long deliveryTimeoutNanos;
    private final int maxRetries;
    private final LongSupplier nanoTime;
    private final Map<PostHogRequestEntry, Failures> failing = new IdentityHashMap<>();

    RetryBudget(Duration deliveryTimeout, int maxRetries, LongSupplier nanoTime) {
        this.deliveryTimeoutNanos = deliveryTimeout.toNanos();
        this.maxRetries = maxRetries;
        this.nanoTime = nanoTime;
    }

    /** What to do with a batch whose attempt just failed. */
    sealed interface Decision permits Retry, GiveUp {}

    /** Retry after {@code delay} (the proposed delay, cut short at the deadline). */
    record Retry(Duration delay) implements Decision {}

    /** Stop: the batch has been failing for {@code failingFor} over {@code attempts} attempts. */
    record GiveUp(Duration failingFor, int attempts, boolean timedOut) implements Decision {}

    /** Forgets entries that were delivered or refused. */
    synchronized void settled(List<PostHogRequestEntry> entries) {
        if (failing.isEmpty()) {
            return; // the common case: nothing failing, no hashing per event
        }
        for (PostHogRequestEntry entry : entries) {
            failing.remove(entry);
        }
    }

    /** Records a failed attempt of these entries and decides whether to retry them. */
    synchronized Decision failed(List<PostHogRequestEntry> entries, Duration proposedDelay) {
        return failed(entries, attempts -> proposedDelay);
    }

    /**
     * Records a failed attempt of these entries and decides whether to retry them, after the delay
     * proposed for the batch's attempt count (the most any of its entries had).
     */
    synchronized Decision failed(
            List<PostHogRequestEntry> entries, IntFunction<Duration> proposedDelay) {
        long now = nanoTime.getAsLong();
        long firstFailure = now;
        int attempts = 0;
        for (PostHogRequestEntry entry : entries) {
            Failures f = failing.computeIfAbsent(entry, e -> new Failures(now));
            f.attempts++;
            firstFailure = Math.min(firstFailure, f.firstFailureNanos);
            attempts = Math.max(attempts, f.attempts);
        }
        long elapsed = now - firstFailure;
        boolean timedOut = elapsed >= deliveryTimeoutNanos;
        boolean exhausted = maxRetries != UNBOUNDED && attempts > maxRetries;
        if (timedOut || exhausted) {
            settled(entries);
            return new GiveUp(Duration.ofNanos(elapsed), attempts, timedOut);
        }
        long remaining = deliveryTimeoutNanos - elapsed;
        return new Retry(
                Duration.ofNanos(Math.min(proposedDelay.apply(attempts).toNanos(), remaining)));
    }

    /** Entries currently failing (for tests). */
    synchronized int tracked() {
        return failing.size();
    }

    private static final class Failures {
        final long firstFailureNanos;
        int attempts;

        Failures(long firstFailureNanos) {
            this.firstFailureNanos = firstFailureNanos;
        }
    }
}
