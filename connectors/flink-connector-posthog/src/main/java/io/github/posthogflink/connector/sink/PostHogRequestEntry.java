package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One buffered capture event: its serialized JSON (uuid and timestamp already fixed), plus the uuid
 * and event name for error reports. An entry the converter refused carries a {@link RejectReason}
 * and is never sent; it goes to the error handler instead.
 */
@Internal
public final class PostHogRequestEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Read from the JSON when first asked for, if {@link #uuidAt} says where it is. */
    @Nullable private String uuid;

    /** Where the uuid's 36 characters start in {@link #json}; -1 when {@link #uuid} is given. */
    private final int uuidAt;

    private final String event;
    private final byte[] json;
    @Nullable private final RejectReason rejectReason;
    @Nullable private final String rejectDetail;

    private PostHogRequestEntry(
            String uuid,
            String event,
            byte[] json,
            @Nullable RejectReason rejectReason,
            @Nullable String rejectDetail) {
        this.uuid = Objects.requireNonNull(uuid, "uuid");
        this.uuidAt = -1;
        this.event = Objects.requireNonNull(event, "event");
        this.json = Objects.requireNonNull(json, "json");
        this.rejectReason = rejectReason;
        this.rejectDetail = rejectDetail;
    }

    private PostHogRequestEntry(String event, byte[] json, int uuidAt) {
        if (uuidAt < 0 || uuidAt + 36 > json.length) {
            throw new IllegalArgumentException("no uuid at " + uuidAt);
        }
        this.uuidAt = uuidAt;
        this.event = Objects.requireNonNull(event, "event");
        this.json = Objects.requireNonNull(json, "json");
        this.rejectReason = null;
        this.rejectDetail = null;
    }

    /** An event ready to send. */
    public static PostHogRequestEntry of(String uuid, String event, byte[] json) {
        return new PostHogRequestEntry(uuid, event, json, null, null);
    }

    /**
     * An event ready to send whose uuid is the 36 ASCII characters at {@code uuidAt} in its JSON:
     * the uuid's String is only made if someone asks for it.
     */
    static PostHogRequestEntry withUuidAt(String event, byte[] json, int uuidAt) {
        return new PostHogRequestEntry(event, json, uuidAt);
    }

    /** An event refused before sending. */
    public static PostHogRequestEntry rejected(
            String uuid, String event, byte[] json, RejectReason reason, String detail) {
        return new PostHogRequestEntry(
                uuid, event, json, Objects.requireNonNull(reason, "reason"), detail);
    }

    /** The event's uuid (empty when the converter could not determine one). */
    public String uuid() {
        String text = uuid;
        if (text == null) {
            // Immutable input: threads racing here make equal Strings.
            text = new String(json, uuidAt, 36, StandardCharsets.ISO_8859_1);
            uuid = text;
        }
        return text;
    }

    public String event() {
        return event;
    }

    /** The event's JSON, as it goes into the batch array. Do not modify. */
    public byte[] json() {
        return json;
    }

    public boolean isRejected() {
        return rejectReason != null;
    }

    @Nullable
    public RejectReason rejectReason() {
        return rejectReason;
    }

    @Nullable
    public String rejectDetail() {
        return rejectDetail;
    }

    /** The bytes this entry adds to a request: its JSON, or 0 when it is never sent. */
    long sizeInBytes() {
        return isRejected() ? 0 : json.length;
    }

    DeadLetter toDeadLetter(RejectReason reason, String detail) {
        return new DeadLetter(uuid(), event, reason, detail, json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostHogRequestEntry other
                && uuid().equals(other.uuid())
                && event.equals(other.event)
                && Arrays.equals(json, other.json)
                && rejectReason == other.rejectReason
                && Objects.equals(rejectDetail, other.rejectDetail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uuid(), event, Arrays.hashCode(json), rejectReason);
    }

    @Override
    public String toString() {
        return "PostHogRequestEntry["
                + event
                + " "
                + uuid()
                + " "
                + json.length
                + " bytes"
                + (rejectReason == null ? "" : " rejected " + rejectReason)
                + "]";
    }

    String jsonAsString() {
        return new String(json, StandardCharsets.UTF_8);
    }
}
