package io.github.posthogflink.client.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * At most {@code limit} requests in flight; later ones wait in arrival order, without blocking a
 * thread, and start as earlier ones finish. AsyncHttpClient's own connection cap fails the extra
 * requests at once ({@code TooManyConnectionsException}) instead.
 *
 * <p>At most {@code maxQueued} requests wait; one more fails at once with a {@link
 * RejectedExecutionException}. A waiting request whose caller has given up (its future completed:
 * cancelled, timed out, the client closed) leaves the queue at once and is never sent, so a slow
 * PostHog does not collect a backlog of abandoned calls that go out when it recovers.
 */
public final class ConnectionGate {
    private final int limit;
    private final int maxQueued;
    private final ArrayDeque<Waiter<?>> waiting = new ArrayDeque<>();
    private int inFlight;

    /** A request waiting for a slot; {@code result} is what its caller sees. */
    private static final class Waiter<T> {
        final Supplier<CompletableFuture<T>> request;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final CompletableFuture<?> caller;

        Waiter(Supplier<CompletableFuture<T>> request, CompletableFuture<?> caller) {
            this.request = request;
            this.caller = caller;
        }
    }

    public ConnectionGate(int limit, int maxQueued) {
        if (limit < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("limit must be >= 1 and maxQueued >= 0");
        }
        this.limit = limit;
        this.maxQueued = maxQueued;
    }

    /** Runs {@code request} when a slot is free; the slot is freed when its future completes. */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> request) {
        return submit(request, new CompletableFuture<>());
    }

    /**
     * As {@link #submit(Supplier)}, for a caller that may give up: once {@code caller} completes,
     * the request is dropped from the queue (its result is cancelled) and never sent.
     */
    public <T> CompletableFuture<T> submit(
            Supplier<CompletableFuture<T>> request, CompletableFuture<?> caller) {
        Waiter<T> waiter = new Waiter<>(request, caller);
        boolean now;
        synchronized (this) {
            now = inFlight < limit;
            if (now) {
                inFlight++;
            } else if (waiting.size() >= maxQueued) {
                return CompletableFuture.failedFuture(
                        new RejectedExecutionException(
                                waiting.size()
                                        + " requests already wait for one of "
                                        + limit
                                        + " connections (maxQueuedRequests)"));
            } else {
                waiting.add(waiter);
            }
        }
        if (now) {
            start(waiter);
        } else {
            caller.whenComplete((v, e) -> abandon(waiter));
        }
        return waiter.result;
    }

    private void abandon(Waiter<?> waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(waiter);
        }
        if (removed) {
            waiter.result.cancel(false);
        }
    }

    private <T> void start(Waiter<T> waiter) {
        CompletableFuture<T> call;
        try {
            call = waiter.request.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete(
                (value, error) -> {
                    release();
                    if (error != null) {
                        waiter.result.completeExceptionally(error);
                    } else {
                        waiter.result.complete(value);
                    }
                });
    }

    private void release() {
        Waiter<?> next;
        List<Waiter<?>> abandoned = new ArrayList<>();
        synchronized (this) {
            next = waiting.poll();
            while (next != null && next.caller.isDone()) {
                abandoned.add(next); // its caller gave up while its removal was on the way
                next = waiting.poll();
            }
            if (next == null) {
                inFlight--;
            }
        }
        abandoned.forEach(w -> w.result.cancel(false));
        if (next != null) {
            start(next);
        }
    }

    /** Requests waiting for a slot. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Requests holding a slot. */
    public synchronized int inFlight() {
        return inFlight;
    }
}
