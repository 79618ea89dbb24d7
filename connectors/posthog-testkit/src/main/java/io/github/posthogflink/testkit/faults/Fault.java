package io.github.posthogflink.testkit.faults;

import java.time.Duration;

/** What happens to a request a fault rule fires on. */
public sealed interface Fault {

    /** Answer with this status (and {@code Retry-After} when set) instead of handling. */
    record Status(int status, Integer retryAfterSeconds, String body) implements Fault {}

    /** Wait, then handle the request normally. */
    record Delay(Duration delay) implements Fault {}

    /** Close the connection without any answer. */
    record ResetConnection() implements Fault {}

    /**
     * Handle the request (PostHog stores the batch), then close the connection without sending the
     * answer: the client sees a connection error for a request that took effect, as when a response
     * is lost on the way. For testing idempotent retries.
     */
    record DropResponse() implements Fault {}
}
