package io.github.posthogflink.client.http;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one call, and of every stage derived from it ({@code thenApply}, {@code
 * thenCompose}, ...: they are {@code CallFuture}s too). A stage its caller completes before the
 * call did — {@code cancel}, {@code orTimeout}, {@code completeOnTimeout}, {@code complete} —
 * cancels the call: a call still waiting for budget, for a connection or for a retry is then never
 * sent. Completing the call itself is the transport's business.
 *
 * @param <T> the stage's value
 */
final class CallFuture<T> extends CompletableFuture<T> {
    private final CallFuture<?> call;

    /** The future of a new call. */
    CallFuture() {
        this.call = this;
    }

    private CallFuture(CallFuture<?> call) {
        this.call = call;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallFuture<>(call);
    }

    @Override
    public boolean complete(T value) {
        return givenUp(super.complete(value));
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
        return givenUp(super.completeExceptionally(error));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return givenUp(super.cancel(mayInterruptIfRunning));
    }

    private boolean givenUp(boolean completedHere) {
        if (completedHere && call != this && !call.isDone()) {
            call.cancel(false);
        }
        return completedHere;
    }
}
