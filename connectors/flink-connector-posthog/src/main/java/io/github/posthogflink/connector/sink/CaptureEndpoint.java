package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

/** Where the sink posts events. */
@PublicEvolving
public enum CaptureEndpoint {
    /** {@code /batch/}: many events per request (the default). */
    BATCH("/batch/"),
    /**
     * {@code /i/v0/e/}: one event per request, for proxies or gateways that only pass PostHog's
     * single-event route. Far more requests for the same events; it counts against nothing else.
     */
    SINGLE_EVENT("/i/v0/e/");

    private final String path;

    CaptureEndpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
