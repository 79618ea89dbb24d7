package io.github.posthogflink.connector.enrich.flags;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Bounds the async calls in flight: a call beyond the limit waits, in arrival order, for one to
 * finish. Keeps the shared client under its connection pool size (AsyncHttpClient refuses, rather
 * than queues, requests beyond it).
 *
 * <p>The future {@link #run} returns is the caller's handle: when the caller completes it first
 * (cancels it, or times it out with {@code orTimeout}), a waiting call leaves the queue and never
 * runs, so callers that gave up during a slow spell leave no backlog that goes out once PostHog
 * recovers. A call already running keeps its permit until it completes: a permit is a request on
 * the wire, and a slow PostHog gets no more of them than there are permits. At most {@code
 * maxWaiting} calls wait; one more fails at once with a {@link RejectedExecutionException}.
 */
final class AsyncPermits {
    private final int max;
    private final int maxWaiting;
    private final ArrayDeque<Ticket<?>> waiters = new ArrayDeque<>();
    private int inUse;

    /** A call and the caller's future of it. */
    private static final class Ticket<T> {
        final Supplier<CompletableFuture<T>> call;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Ticket(Supplier<CompletableFuture<T>> call) {
            this.call = call;
        }
    }

    AsyncPermits(int max, int maxWaiting) {
        if (max < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("max must be >= 1 and maxWaiting >= 0");
        }
        this.max = max;
        this.maxWaiting = maxWaiting;
    }

    /** Runs {@code call} once a permit is free; the permit is returned when the call completes. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        Ticket<T> ticket = new Ticket<>(call);
        boolean now;
        synchronized (this) {
            now = inUse < max;
            if (now) {
                inUse++;
            } else if (waiters.size() >= maxWaiting) {
                return CompletableFuture.failedFuture(
                        new RejectedExecutionException(
                                waiters.size()
                                        + " calls already wait for one of "
                                        + max
                                        + " permits"));
            } else {
                waiters.addLast(ticket);
            }
        }
        if (now) {
            start(ticket);
        } else {
            ticket.result.whenComplete((value, error) -> abandon(ticket));
        }
        return ticket.result;
    }

    /** The caller's future completed: a ticket that still waits is dropped. */
    private synchronized void abandon(Ticket<?> ticket) {
        waiters.remove(ticket);
    }

    private <T> void start(Ticket<T> ticket) {
        CompletableFuture<T> call;
        try {
            call = ticket.call.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete(
                (value, error) -> {
                    release();
                    if (error != null) {
                        ticket.result.completeExceptionally(error);
                    } else {
                        ticket.result.complete(value);
                    }
                });
    }

    private void release() {
        Ticket<?> next;
        synchronized (this) {
            next = waiters.pollFirst();
            while (next != null && next.result.isDone()) {
                next = waiters.pollFirst(); // abandoned while its removal was on the way
            }
            if (next == null) {
                inUse--;
            }
        }
        if (next != null) {
            start(next); // the permit passes to the next live waiter
        }
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return waiters.size();
    }
}
