package io.github.posthogflink.client.http;

/**
 * Observes the client's HTTP traffic, for metrics. Called on I/O threads: keep it cheap and never
 * block. Endpoints are {@code METHOD /path}, never with a key.
 */
public interface RequestListener {
    RequestListener NONE = new RequestListener() {};

    /** A response arrived (any status), {@code nanos} after the request went out. */
    default void onResponse(String endpoint, int status, long nanos) {}

    /**
     * A call will be repeated; {@code cause} is a status code like {@code "503"} or {@code
     * "timeout"}.
     */
    default void onRetry(String endpoint, int attempt, String cause) {}

    /** A call waited for client-side rate-limit budget. */
    default void onThrottled(String endpoint, long waitedNanos) {}
}
