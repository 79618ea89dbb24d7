package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

/** Why the sink did not deliver an event. */
@PublicEvolving
public enum RejectReason {
    /** The serialized event is larger than {@code maxRecordSizeInBytes}; never sent. */
    OVERSIZED,
    /** The event is malformed (no event name or distinct_id, an invalid uuid); never sent. */
    INVALID_EVENT,
    /** PostHog refused the event itself (a 400 or 413 that bisection narrowed to it). */
    REJECTED_BY_POSTHOG;

    /** The reason in dead letters: {@code posthog_oversized}, {@code posthog_invalid_event}, … */
    public String code() {
        return this == REJECTED_BY_POSTHOG
                ? "posthog_rejected"
                : "posthog_" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The reason with this {@link #code()}; the sink's checkpoints store reasons by code, so the
     * codes never change.
     */
    public static RejectReason fromCode(String code) {
        for (RejectReason reason : values()) {
            if (reason.code().equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("Unknown reject reason code: " + code);
    }
}
