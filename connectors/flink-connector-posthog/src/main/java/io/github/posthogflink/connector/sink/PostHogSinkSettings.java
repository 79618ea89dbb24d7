package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientConfig;

import java.io.Serializable;
import java.time.Duration;

/**
 * The sink's own settings, next to AsyncSink's batching knobs: where to send, how, and what to do
 * with failures.
 */
record PostHogSinkSettings(
        PostHogClientConfig clientConfig,
        boolean historicalMigration,
        CaptureEndpoint captureEndpoint,
        boolean gzip,
        PostHogSinkErrorHandler errorHandler,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        int rateIncrease,
        double rateDecreaseFactor,
        Duration deliveryTimeout,
        int maxRetries)
        implements Serializable {

    @Override
    public String toString() {
        // The client config masks its keys.
        return "PostHogSinkSettings["
                + clientConfig
                + ", historicalMigration="
                + historicalMigration
                + ", captureEndpoint="
                + captureEndpoint
                + ", gzip="
                + gzip
                + ", deliveryTimeout="
                + deliveryTimeout
                + ", maxRetries="
                + (maxRetries == RetryBudget.UNBOUNDED ? "unbounded" : maxRetries)
                + "]";
    }
}
