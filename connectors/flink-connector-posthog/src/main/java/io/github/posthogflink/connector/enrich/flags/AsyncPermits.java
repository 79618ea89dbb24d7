package io.github.posthogflink.connector.enrich.flags;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds the async calls in flight: a call beyond the limit waits, in arrival order, for one to
 * finish. Keeps the shared client under its connection pool size (AsyncHttpClient refuses, rather
 * than queues, requests beyond it).
 */
final class AsyncPermits {
    private final int max;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int inUse;

    AsyncPermits(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1");
        }
        this.max = max;
    }

    /** Runs {@code call} once a permit is free; the permit is returned when the call completes. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        return acquire()
                .thenCompose(
                        granted -> {
                            CompletableFuture<T> result;
                            try {
                                result = call.get();
                            } catch (RuntimeException e) {
                                result = CompletableFuture.failedFuture(e);
                            }
                            return result.whenComplete((value, error) -> release());
                        });
    }

    private CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (inUse < max) {
                inUse++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> ticket = new CompletableFuture<>();
            waiters.addLast(ticket);
            return ticket;
        }
    }

    private void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiters.pollFirst();
            if (next == null) {
                inUse--;
            }
        }
        if (next != null) {
            next.complete(null); // the permit passes to the next waiter
        }
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return waiters.size();
    }
}
