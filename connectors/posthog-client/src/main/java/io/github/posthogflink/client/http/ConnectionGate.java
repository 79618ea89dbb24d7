package io.github.posthogflink.client.http;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * At most {@code limit} requests in flight; later ones wait in arrival order, without blocking a
 * thread, and start as earlier ones finish. AsyncHttpClient's own connection cap fails the extra
 * requests at once ({@code TooManyConnectionsException}) instead.
 */
final class ConnectionGate {
    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    ConnectionGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        this.limit = limit;
    }

    /** Runs {@code request} when a slot is free; the slot is freed when its future completes. */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start =
                () -> {
                    CompletableFuture<T> call;
                    try {
                        call = request.get();
                    } catch (RuntimeException e) {
                        call = CompletableFuture.failedFuture(e);
                    }
                    call.whenComplete(
                            (value, error) -> {
                                release();
                                if (error != null) {
                                    result.completeExceptionally(error);
                                } else {
                                    result.complete(value);
                                }
                            });
                };
        boolean now;
        synchronized (this) {
            now = inFlight < limit;
            if (now) {
                inFlight++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
