package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Grants a call only when every window still has room: at most {@code permits} grants in any
 * sliding {@code period}, as PostHog's throttles count them. Callers get a future that completes
 * when their turn comes, in arrival order.
 */
public final class SlidingWindowRateLimiter {

    /** Runs a task after a delay. */
    public interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    private final long[][] grants; // one ring of grant times per window
    private final long[] periods;
    private final int[] heads;
    private final int[] sizes;
    private final LongSupplier ticker;
    private final Scheduler scheduler;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private boolean drainScheduled;

    public SlidingWindowRateLimiter(
            List<Window> windows, LongSupplier ticker, Scheduler scheduler) {
        this.grants = new long[windows.size()][];
        this.periods = new long[windows.size()];
        this.heads = new int[windows.size()];
        this.sizes = new int[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            grants[i] = new long[windows.get(i).permits()];
            periods[i] = windows.get(i).period().toNanos();
        }
        this.ticker = ticker;
        this.scheduler = scheduler;
    }

    /** Completes when a call may go out. Completes at once while there is room. */
    public CompletableFuture<Void> acquire() {
        CompletableFuture<Void> ticket = new CompletableFuture<>();
        synchronized (this) {
            waiters.addLast(ticket);
        }
        drain();
        return ticket;
    }

    /** How many callers are waiting for budget. */
    public synchronized int waiting() {
        return waiters.size();
    }

    private void drain() {
        while (true) {
            CompletableFuture<Void> granted;
            synchronized (this) {
                if (waiters.isEmpty() || drainScheduled) {
                    return;
                }
                long now = ticker.getAsLong();
                long wait = nanosUntilRoom(now);
                if (wait > 0) {
                    drainScheduled = true;
                    scheduler.schedule(this::scheduledDrain, wait);
                    return;
                }
                record(now);
                granted = waiters.pollFirst();
            }
            granted.complete(null);
        }
    }

    private void scheduledDrain() {
        synchronized (this) {
            drainScheduled = false;
        }
        drain();
    }

    private long nanosUntilRoom(long now) {
        long wait = 0;
        for (int i = 0; i < grants.length; i++) {
            if (sizes[i] == grants[i].length) {
                long oldest = grants[i][heads[i]];
                wait = Math.max(wait, oldest + periods[i] - now);
            }
        }
        return wait;
    }

    private void record(long now) {
        for (int i = 0; i < grants.length; i++) {
            long[] ring = grants[i];
            if (sizes[i] == ring.length) {
                ring[heads[i]] = now;
                heads[i] = (heads[i] + 1) % ring.length;
            } else {
                ring[(heads[i] + sizes[i]) % ring.length] = now;
                sizes[i]++;
            }
        }
    }
}
