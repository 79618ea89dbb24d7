package io.github.posthogflink.connector.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * An event the sink could not deliver, with the reason. {@code payload} is the event's JSON as it
 * would have been sent (no API key in it). {@code toString} leaves the payload out.
 */
public record DeadLetter(
        String uuid, String event, RejectReason reason, String detail, byte[] payload)
        implements Serializable {

    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DeadLetter["
                + event
                + " "
                + uuid
                + " "
                + reason
                + ": "
                + detail
                + " ("
                + payload.length
                + " bytes)]";
    }
}
