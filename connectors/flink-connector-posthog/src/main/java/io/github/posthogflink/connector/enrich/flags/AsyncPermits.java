package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.http.ConnectionGate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Bounds the {@code /flags} calls in flight on a shared client below its connection pool, so one
 * connection stays free for definitions polls: a call beyond the limit waits, in arrival order, for
 * one to finish.
 *
 * <p>The future {@link #run} returns is the caller's handle: when the caller completes it first
 * (cancels it, or times it out with {@code orTimeout}), a waiting call leaves the queue and never
 * runs, so callers that gave up during a slow spell leave no backlog that goes out once PostHog
 * recovers. A call already running keeps its permit until it completes: a permit is a request on
 * the wire, and a slow PostHog gets no more of them than there are permits. At most {@code
 * maxWaiting} calls wait; one more fails at once with a {@link RejectedExecutionException}.
 */
final class AsyncPermits {
    private final ConnectionGate gate;

    AsyncPermits(int max, int maxWaiting) {
        this.gate = new ConnectionGate(max, maxWaiting);
    }

    /** Runs {@code call} once a permit is free; the permit is returned when the call completes. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> handle = new CompletableFuture<>();
        gate.submit(call, handle)
                .whenComplete(
                        (value, error) -> {
                            if (error != null) {
                                handle.completeExceptionally(error);
                            } else {
                                handle.complete(value);
                            }
                        });
        return handle;
    }

    int inUse() {
        return gate.inFlight();
    }

    int waiting() {
        return gate.waiting();
    }
}
