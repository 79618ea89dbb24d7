package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.util.List;
import java.util.OptionalLong;

/**
 * A client-side request budget of sliding windows (at most {@code permits} requests in any {@code
 * period}), counted as PostHog's throttles count them. Unlike a blocking limiter it hands out
 * reservations: the caller learns at once when its request may go out, so it can decide whether
 * that is soon enough. Times are ticker nanoseconds.
 */
final class RequestBudget {
    private final long[][] grants; // per window: a ring of the latest grant times, oldest at head
    private final long[] periods;
    private final int[] heads;
    private final int[] sizes;
    private long lastGrant = Long.MIN_VALUE;

    RequestBudget(List<Window> windows) {
        int n = windows.size();
        this.grants = new long[n][];
        this.periods = new long[n];
        this.heads = new int[n];
        this.sizes = new int[n];
        for (int i = 0; i < n; i++) {
            grants[i] = new long[windows.get(i).permits()];
            periods[i] = windows.get(i).period().toNanos();
        }
    }

    /** The earliest time a request could go out, without reserving it. */
    synchronized long earliestGrant(long now) {
        long t = Math.max(now, lastGrant);
        for (int i = 0; i < grants.length; i++) {
            if (sizes[i] == grants[i].length) {
                t = Math.max(t, grants[i][heads[i]] + periods[i]);
            }
        }
        return t;
    }

    /** Reserves the earliest slot and returns its time (possibly in the future). */
    synchronized long reserve(long now) {
        long t = earliestGrant(now);
        record(t);
        return t;
    }

    /** Reserves the earliest slot if it is no later than {@code deadline}. */
    synchronized OptionalLong tryReserve(long now, long deadline) {
        long t = earliestGrant(now);
        if (t > deadline) {
            return OptionalLong.empty();
        }
        record(t);
        return OptionalLong.of(t);
    }

    private void record(long t) {
        lastGrant = t;
        for (int i = 0; i < grants.length; i++) {
            long[] ring = grants[i];
            if (sizes[i] == ring.length) {
                ring[heads[i]] = t;
                heads[i] = (heads[i] + 1) % ring.length;
            } else {
                ring[(heads[i] + sizes[i]) % ring.length] = t;
                sizes[i]++;
            }
        }
    }
}
