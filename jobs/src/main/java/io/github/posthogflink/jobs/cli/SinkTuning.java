package io.github.posthogflink.jobs.cli;

import io.github.posthogflink.connector.sink.PostHogSinkBuilder;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How the pipeline's {@code PostHogSink} sends: {@code --batch-size} (events per request), {@code
 * --max-in-flight} (requests per sink subtask), {@code --flush-interval} (longest time an event
 * waits in the buffer), {@code --delivery-timeout} and {@code --max-retries} (how long and how
 * often a failing batch is retried before the job fails), {@code --historical-migration} (backfill
 * through PostHog's historical path). Unset options keep the sink's defaults.
 */
public record SinkTuning(
        int batchSize,
        int maxInFlight,
        Duration flushInterval,
        Duration deliveryTimeout,
        @Nullable Integer maxRetries,
        boolean historicalMigration)
        implements Serializable {

    /** The options this record reads, for messages. */
    static final List<String> OPTIONS =
            List.of(
                    "batch-size",
                    "max-in-flight",
                    "flush-interval",
                    "delivery-timeout",
                    "max-retries",
                    "historical-migration");

    /** The sink's defaults. */
    public static SinkTuning defaults() {
        return new SinkTuning(
                PostHogSinkBuilder.DEFAULT_MAX_BATCH_SIZE,
                PostHogSinkBuilder.DEFAULT_MAX_IN_FLIGHT_REQUESTS,
                Duration.ofMillis(PostHogSinkBuilder.DEFAULT_MAX_TIME_IN_BUFFER_MS),
                PostHogSinkBuilder.DEFAULT_DELIVERY_TIMEOUT,
                null,
                false);
    }

    static SinkTuning parse(CommandLine cli) {
        SinkTuning d = defaults();
        return new SinkTuning(
                cli.get("batch-size")
                        .map(v -> OptionValues.positive("batch-size", v))
                        .orElse(d.batchSize),
                cli.get("max-in-flight")
                        .map(v -> OptionValues.positive("max-in-flight", v))
                        .orElse(d.maxInFlight),
                cli.get("flush-interval")
                        .map(v -> OptionValues.positiveDuration("flush-interval", v))
                        .orElse(d.flushInterval),
                cli.get("delivery-timeout")
                        .map(v -> OptionValues.positiveDuration("delivery-timeout", v))
                        .orElse(d.deliveryTimeout),
                cli.get("max-retries")
                        .map(v -> OptionValues.nonNegative("max-retries", v))
                        .orElse(null),
                OptionValues.flag(cli, "historical-migration"));
    }

    /** Sets these values on a sink builder. */
    public <T> PostHogSinkBuilder<T> applyTo(PostHogSinkBuilder<T> builder) {
        builder.setMaxBatchSize(batchSize)
                // AsyncSink needs a buffer larger than a batch.
                .setMaxBufferedRequests(
                        Math.max(PostHogSinkBuilder.DEFAULT_MAX_BUFFERED_REQUESTS, 2 * batchSize))
                .setMaxInFlightRequests(maxInFlight)
                .setMaxTimeInBufferMS(flushInterval.toMillis())
                .setDeliveryTimeout(deliveryTimeout)
                .setHistoricalMigration(historicalMigration);
        if (maxRetries != null) {
            builder.setMaxRetries(maxRetries);
        }
        return builder;
    }
}
