package io.github.posthogflink.testkit.capture;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * PostHog's timestamp rules: {@code timestamp} as given; with {@code sent_at} too, now + (timestamp
 * - sent_at) unless {@code $ignore_sent_at}; else now - {@code offset} ms; more than 23 h in the
 * future, or invalid, becomes now.
 */
public final class TimestampResolver {
    private static final Duration MAX_FUTURE = Duration.ofHours(23);

    private final Clock clock;

    public TimestampResolver(Clock clock) {
        this.clock = clock;
    }

    public Instant resolve(JsonNode event, Instant now, JsonNode envelopeSentAt) {
        JsonNode properties = event.path("properties");
        boolean ignoreSentAt = properties.path("$ignore_sent_at").asBoolean(false);
        Instant sentAt = null;
        if (!ignoreSentAt) {
            sentAt = parse(event.get("sent_at"));
            if (sentAt == null) {
                sentAt = parse(envelopeSentAt);
            }
        }
        JsonNode timestampNode = event.get("timestamp");
        Instant result;
        if (timestampNode != null && !timestampNode.isNull()) {
            Instant timestamp = parse(timestampNode);
            if (timestamp == null) {
                return now;
            }
            result = sentAt == null ? timestamp : now.plus(Duration.between(sentAt, timestamp));
        } else if (event.hasNonNull("offset") && event.get("offset").isNumber()) {
            result = now.minusMillis(event.get("offset").asLong());
        } else {
            result = now;
        }
        if (result.isAfter(now.plus(MAX_FUTURE))) {
            return now;
        }
        return result;
    }

    public Instant now() {
        return clock.instant();
    }

    static Instant parse(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        String text = node.asText().trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                try {
                    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }
}
