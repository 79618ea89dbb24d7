package io.github.posthogflink.connector.source.hogql;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Flink's wake-ups of a split reader waiting in {@code fetch}: a wake-up ends the wait that watches
 * the signal it completed; once consumed, the next wait watches a fresh one. {@link #wakeUp} may be
 * called from any thread, the rest from the fetcher thread only.
 */
final class WakeUpSignal {
    private volatile CompletableFuture<Void> wake = new CompletableFuture<>();

    /** The signal a fetch watches; take it once, before deciding to wait. */
    CompletableFuture<Void> current() {
        return wake;
    }

    /**
     * Waits up to {@code waitNanos} for {@code signal}; true, with the wake-up consumed, when it
     * came (or the thread was interrupted) first.
     */
    boolean awaitFor(CompletableFuture<Void> signal, long waitNanos) {
        try {
            signal.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // never completed exceptionally
        }
        consume(signal);
        return true;
    }

    /** Replaces {@code signal} with a fresh one when it has fired and is still the current one. */
    void consume(CompletableFuture<Void> signal) {
        if (signal.isDone() && wake == signal) {
            wake = new CompletableFuture<>();
        }
    }

    void wakeUp() {
        wake.complete(null);
    }
}
