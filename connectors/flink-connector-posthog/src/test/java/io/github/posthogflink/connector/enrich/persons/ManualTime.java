package io.github.posthogflink.connector.enrich.persons;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * A ticker and a scheduler on a hand-advanced clock: tasks run when {@link #advance} passes them.
 */
final class ManualTime implements LongSupplier, LookupScheduler {
    private record Task(long at, long seq, Runnable run) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(
                    (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task));
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at);
            }
            next.run.run();
        }
    }

    synchronized int scheduledTasks() {
        return tasks.size();
    }
}
