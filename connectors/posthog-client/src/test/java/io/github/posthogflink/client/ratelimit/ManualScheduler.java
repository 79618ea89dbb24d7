package io.github.posthogflink.client.ratelimit;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/** Virtual time for the rate limiter: a ticker and a scheduler that only move when told. */
final class ManualScheduler implements SlidingWindowRateLimiter.Scheduler, LongSupplier {
    private record Task(long due, long seq, Runnable action) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(
                    (a, b) ->
                            a.due != b.due
                                    ? Long.compare(a.due, b.due)
                                    : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    private int scheduled;

    @Override
    public long getAsLong() {
        return now;
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        if (delayNanos < 0) {
            throw new AssertionError("negative delay " + delayNanos);
        }
        scheduled++;
        at(now + delayNanos, task);
    }

    /** Runs {@code task} at virtual time {@code due}. */
    void at(long due, Runnable task) {
        tasks.add(new Task(due, seq++, task));
    }

    /** Runs every task in time order, moving the clock to each one's due time. */
    void runAll() {
        while (!tasks.isEmpty()) {
            Task next = tasks.poll();
            now = Math.max(now, next.due);
            next.action.run();
        }
    }

    long now() {
        return now;
    }

    /** How many times the limiter asked to be woken up. */
    int scheduledCount() {
        return scheduled;
    }
}
