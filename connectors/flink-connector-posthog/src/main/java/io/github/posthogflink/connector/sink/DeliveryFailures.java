package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogException;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Locale;

/** The exception that fails the job once retries are used up: what failed, how long, how often. */
final class DeliveryFailures {
    private DeliveryFailures() {}

    static PostHogSinkException gaveUp(
            RetryBudget.GiveUp giveUp,
            SendOutcome outcome,
            String cause,
            Duration deliveryTimeout,
            int maxRetries) {
        String limit =
                giveUp.timedOut()
                        ? "the delivery timeout of " + format(deliveryTimeout)
                        : "maxRetries = " + maxRetries;
        String message =
                String.format(
                        Locale.ROOT,
                        "PostHog capture of %d events kept failing for %s over %d attempts"
                                + " (last: %s, %s); %s is exhausted. Failing the job so that"
                                + " Flink's restart strategy replays from the last checkpoint,"
                                + " (buffered events are in its state; later ones are replayed by"
                                + " the source)",
                        outcome.toRetry().size(),
                        format(giveUp.failingFor()),
                        giveUp.attempts(),
                        status(outcome.retryError()),
                        cause,
                        limit);
        return new PostHogSinkException(message, outcome.retryError());
    }

    private static String status(@Nullable Throwable error) {
        if (error instanceof PostHogException failure) {
            if (failure.status() != 0) {
                return "HTTP " + failure.status();
            }
            if (failure.target() != null) {
                return "no response (" + failure.detail() + ")";
            }
        }
        return "no response";
    }

    /**
     * A retry's cause for the log: the metric's cause, or for a call without an answer what went
     * wrong where, e.g. {@code connection refused by localhost:1} (see {@link
     * PostHogException#noResponse}).
     */
    static String describe(String cause, @Nullable Throwable error) {
        if (error instanceof PostHogException failure
                && failure.status() == 0
                && failure.target() != null) {
            return failure.detail();
        }
        return cause;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %d s", millis / 60_000, (millis / 1000) % 60);
    }
}
