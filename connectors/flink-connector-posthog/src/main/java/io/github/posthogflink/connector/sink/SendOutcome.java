package io.github.posthogflink.connector.sink;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of one submitted batch (bisected parts included): entries to send again, events
 * PostHog refused, or a failure that must stop the job.
 */
record SendOutcome(
        List<PostHogRequestEntry> toRetry,
        List<Refusal> rejected,
        @Nullable String retryCause,
        @Nullable Duration retryAfter,
        @Nullable Throwable retryError,
        @Nullable Throwable fatal) {

    static SendOutcome delivered() {
        return new SendOutcome(List.of(), List.of(), null, null, null, null);
    }

    static SendOutcome retry(
            List<PostHogRequestEntry> entries,
            String cause,
            @Nullable Duration retryAfter,
            Throwable error) {
        return new SendOutcome(entries, List.of(), cause, retryAfter, error, null);
    }

    static SendOutcome rejected(PostHogRequestEntry entry, String detail) {
        return new SendOutcome(
                List.of(), List.of(new Refusal(entry, detail)), null, null, null, null);
    }

    /** An event PostHog refused for good, and what it said. */
    record Refusal(PostHogRequestEntry entry, String detail) {
        DeadLetter toDeadLetter() {
            return entry.toDeadLetter(RejectReason.REJECTED_BY_POSTHOG, detail);
        }
    }

    /** Whether a retry was caused by PostHog throttling (429). */
    boolean throttled() {
        return "http_429".equals(retryCause);
    }

    static SendOutcome fatal(Throwable failure) {
        return new SendOutcome(List.of(), List.of(), null, null, null, failure);
    }

    /** Both halves of a bisected batch together. */
    SendOutcome merge(SendOutcome other) {
        List<PostHogRequestEntry> retry = new ArrayList<>(toRetry);
        retry.addAll(other.toRetry);
        List<Refusal> dead = new ArrayList<>(rejected);
        dead.addAll(other.rejected);
        Duration after = retryAfter;
        if (other.retryAfter != null && (after == null || other.retryAfter.compareTo(after) > 0)) {
            after = other.retryAfter;
        }
        return new SendOutcome(
                retry,
                dead,
                retryCause != null ? retryCause : other.retryCause,
                after,
                retryError != null ? retryError : other.retryError,
                fatal != null ? fatal : other.fatal);
    }
}
