package io.github.posthogflink.testkit.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the server does with a request: answer it, drop the connection without an answer, or decide
 * later ({@link #after}): the transport waits on a timer, not on a worker thread, then asks for the
 * outcome on a worker.
 */
public final class Outcome {
    private final Response response;
    private final Duration delay;
    private final Supplier<Outcome> next;

    private Outcome(Response response, Duration delay, Supplier<Outcome> next) {
        this.response = response;
        this.delay = delay;
        this.next = next;
    }

    public static Outcome respond(Response response) {
        return new Outcome(Objects.requireNonNull(response, "response"), null, null);
    }

    /** Closes the connection without answering (and drops requests pipelined behind this one). */
    public static Outcome drop() {
        return new Outcome(null, null, null);
    }

    /** After {@code delay}, the outcome {@code next} computes (on a worker thread). */
    public static Outcome after(Duration delay, Supplier<Outcome> next) {
        return new Outcome(null, Objects.requireNonNull(delay, "delay"), next);
    }

    /** The answer, or null when the connection is dropped or the outcome is deferred. */
    public Response response() {
        return response;
    }

    public boolean dropConnection() {
        return response == null && delay == null;
    }

    /** Whether the outcome comes later, from {@link #next()} after {@link #delay()}. */
    public boolean deferred() {
        return delay != null;
    }

    public Duration delay() {
        return delay;
    }

    public Supplier<Outcome> next() {
        return next;
    }
}
