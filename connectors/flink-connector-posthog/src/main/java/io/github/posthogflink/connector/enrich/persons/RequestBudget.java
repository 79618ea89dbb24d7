package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A client-side request budget of sliding windows (at most {@code permits} requests in any {@code
 * period}), as PostHog's throttles count them. It hands out reservations: the caller learns at once
 * when its request may go out, so it can decide whether that is soon enough. Times are ticker
 * nanoseconds.
 *
 * <p>PostHog counts a request when it arrives, which is some time after it was granted here. So a
 * grant's time moves to the moment its response came back ({@link #completed}), and a reservation
 * is checked again against the grants before it when it is due ({@link #confirm}): two requests a
 * period apart here are then a period apart at PostHog too.
 */
final class RequestBudget {
    /** One reserved request. */
    static final class Grant {
        private final long sequence;
        private long time;

        private Grant(long sequence, long time) {
            this.sequence = sequence;
            this.time = time;
        }

        /** When the request may go out. */
        long time() {
            return time;
        }
    }

    private final int[] permits;
    private final long[] periods;
    private final long longestPeriod;
    private final int capacity;
    private final ArrayDeque<Grant> grants = new ArrayDeque<>(); // in reservation order
    private long sequence;
    private long lastGrant = Long.MIN_VALUE;

    RequestBudget(List<Window> windows) {
        this.permits = new int[windows.size()];
        this.periods = new long[windows.size()];
        long longest = 0;
        int most = 0;
        for (int i = 0; i < windows.size(); i++) {
            permits[i] = windows.get(i).permits();
            periods[i] = windows.get(i).period().toNanos();
            longest = Math.max(longest, periods[i]);
            most = Math.max(most, permits[i]);
        }
        this.longestPeriod = longest;
        this.capacity = 2 * most + 64;
    }

    /**
     * Counts every permit of every window as used at {@code now}: the first request then waits a
     * whole window. For a restarted subtask, whose previous attempt's requests PostHog still counts
     * and this budget never saw.
     */
    synchronized void spendAll(long now) {
        int most = 0;
        for (int p : permits) {
            most = Math.max(most, p);
        }
        for (int i = 0; i < most; i++) {
            record(now, now);
        }
    }

    /** The earliest time a request could go out, without reserving it. */
    synchronized long earliestGrant(long now) {
        return Math.max(Math.max(now, lastGrant), windowsAllow(Long.MAX_VALUE));
    }

    /** Reserves the earliest slot (possibly in the future). */
    synchronized Grant reserve(long now) {
        return record(earliestGrant(now), now);
    }

    /** Reserves the earliest slot if it is no later than {@code deadline}. */
    synchronized Optional<Grant> tryReserve(long now, long deadline) {
        long t = earliestGrant(now);
        return t > deadline ? Optional.empty() : Optional.of(record(t, now));
    }

    /**
     * Checks a due reservation against the grants reserved before it (some may have moved to their
     * completion time) and returns when it may really go out, moving it if needed.
     */
    synchronized long confirm(Grant grant) {
        long needed = windowsAllow(grant.sequence);
        if (needed > grant.time) {
            grant.time = needed;
            lastGrant = Math.max(lastGrant, needed);
        }
        return grant.time;
    }

    /** The request's response came back at {@code now}: PostHog counted it no later than that. */
    synchronized void completed(Grant grant, long now) {
        if (now > grant.time) {
            grant.time = now;
            lastGrant = Math.max(lastGrant, now);
        }
    }

    /** The earliest time the windows allow one more grant, counting grants before {@code seq}. */
    private long windowsAllow(long beforeSequence) {
        if (permits.length == 0 || grants.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long[] times = new long[grants.size()];
        int n = 0;
        for (Grant g : grants) {
            if (g.sequence < beforeSequence) {
                times[n++] = g.time;
            }
        }
        Arrays.sort(times, 0, n); // ascending: the k-th latest is times[n - k]
        long t = Long.MIN_VALUE;
        for (int i = 0; i < permits.length; i++) {
            if (n >= permits[i]) {
                t = Math.max(t, times[n - permits[i]] + periods[i]);
            }
        }
        return t;
    }

    private Grant record(long t, long now) {
        prune(now);
        Grant grant = new Grant(sequence++, t);
        grants.addLast(grant);
        lastGrant = Math.max(lastGrant, t);
        return grant;
    }

    private void prune(long now) {
        Iterator<Grant> it = grants.iterator();
        while (it.hasNext()) {
            Grant g = it.next();
            boolean expired = g.time + longestPeriod <= now;
            if (expired || grants.size() > capacity) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
