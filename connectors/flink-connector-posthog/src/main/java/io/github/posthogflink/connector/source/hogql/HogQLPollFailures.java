package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogException;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * How a failed poll reads: the PostHog failure behind it, whether a later poll may succeed, when.
 */
final class HogQLPollFailures {
    private HogQLPollFailures() {}

    /** The first {@link PostHogException} in the cause chain, or null. */
    @Nullable
    static PostHogException find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PostHogException p) {
                return p;
            }
        }
        return null;
    }

    /** A retryable PostHog failure, or a timeout that is no PostHog failure. */
    static boolean retryable(Throwable error) {
        PostHogException posthog = find(error);
        return (posthog != null && posthog.isRetryable())
                || (posthog == null && error instanceof TimeoutException);
    }

    /** The wait after {@code failures} failed polls in a row: doubling, up to the maximum. */
    static Duration backoff(HogQLSourceOptions options, long failures) {
        Duration backoff = options.failureBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
        return backoff.compareTo(options.maxFailureBackoff()) > 0
                ? options.maxFailureBackoff()
                : backoff;
    }
}
