package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Grants a call only when every window of its class still has room: at most {@code permits} grants
 * in any sliding {@code period}, as PostHog's throttles count them. Classes that share a bucket
 * share its windows. Callers get a future that completes when their turn comes, in arrival order
 * within a class; a class waiting for a long window does not hold up the others. A ticket that is
 * completed or cancelled by its caller before its turn is dropped and takes no permit.
 */
public final class SlidingWindowRateLimiter {

    /** Runs a task after a delay. */
    public interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    /** Grant times of one window, oldest first, in a ring. */
    private static final class WindowLog {
        final long[] grants;
        final long period;
        int head;
        int size;

        WindowLog(Window window) {
            this.grants = new long[window.permits()];
            this.period = window.period().toNanos();
        }

        long nanosUntilRoom(long now) {
            return size == grants.length ? grants[head] + period - now : 0;
        }

        void record(long now) {
            if (size == grants.length) {
                grants[head] = now;
                head = (head + 1) % grants.length;
            } else {
                grants[(head + size) % grants.length] = now;
                size++;
            }
        }
    }

    /** The calls of one class: its windows and its waiters. */
    private static final class Lane {
        final WindowLog[] logs;
        final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();

        Lane(List<WindowLog> logs) {
            this.logs = logs.toArray(new WindowLog[0]);
        }
    }

    private static final CompletableFuture<Void> GRANTED = CompletableFuture.completedFuture(null);

    private final EnumMap<RateLimitClass, Lane> lanes = new EnumMap<>(RateLimitClass.class);
    private final LongSupplier ticker;
    private final Scheduler scheduler;
    private long wakeUpAt = Long.MAX_VALUE; // the earliest drain scheduled, guarded by this

    /** A limiter of the policy's classes and buckets; {@code ticker} gives nanoseconds. */
    public SlidingWindowRateLimiter(
            RateLimitPolicy policy, LongSupplier ticker, Scheduler scheduler) {
        this.ticker = ticker;
        this.scheduler = scheduler;
        Map<String, List<WindowLog>> buckets = new LinkedHashMap<>();
        for (RateLimitClass c : RateLimitClass.values()) {
            List<WindowLog> logs = new ArrayList<>();
            for (String bucket : policy.buckets(c)) {
                logs.addAll(
                        buckets.computeIfAbsent(
                                bucket,
                                b -> {
                                    List<WindowLog> own = new ArrayList<>();
                                    for (Window w : policy.effectiveBucketWindows(b)) {
                                        own.add(new WindowLog(w));
                                    }
                                    return own;
                                }));
            }
            if (!logs.isEmpty()) {
                lanes.put(c, new Lane(logs));
            }
        }
    }

    /** A limiter of one set of windows, for calls of any class. */
    public SlidingWindowRateLimiter(
            List<Window> windows, LongSupplier ticker, Scheduler scheduler) {
        this(
                RateLimitPolicy.disabled()
                        .withLimits(RateLimitClass.CRUD, windows.toArray(new Window[0])),
                ticker,
                scheduler);
    }

    /** Completes when a call of {@code limitClass} may go out; at once while there is room. */
    public CompletableFuture<Void> acquire(RateLimitClass limitClass) {
        Lane lane = lanes.get(limitClass);
        if (lane == null) {
            return GRANTED;
        }
        CompletableFuture<Void> ticket = new CompletableFuture<>();
        synchronized (this) {
            lane.waiters.addLast(ticket);
        }
        // A caller that gives up (cancels, or fails the ticket) leaves the queue at once.
        ticket.whenComplete(
                (granted, error) -> {
                    if (error != null) {
                        synchronized (this) {
                            lane.waiters.remove(ticket);
                        }
                    }
                });
        drain();
        return ticket;
    }

    /** {@link #acquire(RateLimitClass)} for the limiter of one set of windows. */
    public CompletableFuture<Void> acquire() {
        return acquire(RateLimitClass.CRUD);
    }

    /** How many callers are waiting for budget. */
    public synchronized int waiting() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.waiters.size();
        }
        return n;
    }

    private void drain() {
        List<CompletableFuture<Void>> granted = new ArrayList<>();
        long delay = Long.MAX_VALUE;
        synchronized (this) {
            long now = ticker.getAsLong();
            for (Lane lane : lanes.values()) {
                delay = Math.min(delay, grantWhatFits(lane, now, granted));
            }
            if (delay != Long.MAX_VALUE && now + delay < wakeUpAt) {
                wakeUpAt = now + delay;
            } else {
                delay = Long.MAX_VALUE; // an earlier drain is already scheduled
            }
        }
        if (delay != Long.MAX_VALUE) {
            scheduler.schedule(this::scheduledDrain, delay);
        }
        for (CompletableFuture<Void> ticket : granted) {
            ticket.complete(null);
        }
    }

    /** Grants the lane's waiters that fit now; returns the nanos until the next fits, or MAX. */
    private static long grantWhatFits(Lane lane, long now, List<CompletableFuture<Void>> out) {
        while (!lane.waiters.isEmpty()) {
            if (lane.waiters.peekFirst().isDone()) {
                lane.waiters.pollFirst(); // abandoned by its caller: no permit
                continue;
            }
            long wait = 0;
            for (WindowLog log : lane.logs) {
                wait = Math.max(wait, log.nanosUntilRoom(now));
            }
            if (wait > 0) {
                return wait;
            }
            for (WindowLog log : lane.logs) {
                log.record(now);
            }
            out.add(lane.waiters.pollFirst());
        }
        return Long.MAX_VALUE;
    }

    private void scheduledDrain() {
        synchronized (this) {
            wakeUpAt = Long.MAX_VALUE;
        }
        drain();
    }
}
