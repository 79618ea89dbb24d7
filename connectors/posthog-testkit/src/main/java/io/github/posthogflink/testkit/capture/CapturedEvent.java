package io.github.posthogflink.testkit.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as the testkit stored it.
 *
 * @param uuid the event's uuid, or the UUIDv7 the server assigned
 * @param distinctId after number-to-string conversion and the 200-character cut
 * @param properties the event's {@code properties} (never null)
 * @param timestamp the stored time, after clock-skew correction
 * @param receivedAt when the server received it (its clock)
 * @param raw the event's JSON as sent (tokens included: do not log it)
 */
public record CapturedEvent(
        UUID uuid,
        String event,
        String distinctId,
        ObjectNode properties,
        Instant timestamp,
        Instant receivedAt,
        boolean historicalMigration,
        String route,
        JsonNode raw) {

    /** A property as text, or null. */
    public String property(String name) {
        JsonNode value = properties.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public String toString() {
        return "CapturedEvent[" + event + " " + uuid + " distinct_id=" + distinctId + "]";
    }
}
