package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.http.Json;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * An event the sink could not deliver, with the reason. {@code payload} is the event's JSON as it
 * would have been sent (no API key in it). {@code toString} leaves the payload out.
 */
@PublicEvolving
public record DeadLetter(
        String uuid, String event, RejectReason reason, String detail, byte[] payload)
        implements Serializable {

    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * One JSON object: {@code reason} ({@link RejectReason#code}), {@code detail}, {@code uuid},
     * {@code event} and {@code payload} (the event's JSON as a string).
     */
    public String toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("reason", reason.code());
        out.put("detail", detail);
        out.put("uuid", uuid);
        out.put("event", event);
        out.put("payload", payloadAsString());
        return out.toString();
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
