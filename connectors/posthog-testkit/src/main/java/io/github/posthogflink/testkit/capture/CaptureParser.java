package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parses a capture body (bare array, batch envelope or single event) into events, as PostHog's
 * {@code rust/capture} does: one malformed event fails the whole request.
 */
public final class CaptureParser {
    static final int MAX_DISTINCT_ID_LENGTH = 200;

    private final TimestampResolver timestamps;

    public CaptureParser(TimestampResolver timestamps) {
        this.timestamps = timestamps;
    }

    /**
     * The largest event PostHog's Kafka producer takes ({@code message.max.bytes}, {@code
     * KAFKA_PRODUCER_MESSAGE_MAX_BYTES} = 1,000,000 in {@code rust/capture}); a larger one fails
     * with {@code EventTooBig}, a 413.
     */
    public static final long EVENT_MESSAGE_LIMIT = 1_000_000;

    /**
     * The events of a request, those too large for PostHog to store, and the one token they carry
     * (null when none).
     */
    public record Parsed(List<CapturedEvent> events, List<CapturedEvent> oversized, String token) {}

    public Parsed parse(byte[] body, String route, Instant now) throws CaptureRejection {
        CaptureBody read;
        try {
            read = CaptureBody.read(body, EVENT_MESSAGE_LIMIT);
        } catch (IOException e) {
            throw new CaptureRejection(400, "failed to parse request: invalid JSON");
        }
        List<JsonNode> rawEvents = read.events();
        String token;
        boolean historical = false;
        JsonNode sentAt = null;
        switch (read.shape()) {
            case EMPTY -> throw new CaptureRejection(400, "failed to decode request: empty body");
            case OTHER -> throw new CaptureRejection(400, "failed to decode request: not an event");
            case ARRAY -> token = commonToken(rawEvents);
            case BATCH -> {
                JsonNode envelope = read.root();
                if (envelope.has("batch")) {
                    throw new CaptureRejection(
                            400, "failed to decode request: batch is not an array");
                }
                token = firstText(envelope, "api_key", "token");
                if (token == null) {
                    token = commonToken(rawEvents);
                }
                historical = envelope.path("historical_migration").asBoolean(false);
                sentAt = envelope.get("sent_at");
            }
            default -> token = eventToken(read.root());
        }
        if (rawEvents.isEmpty()) {
            throw new CaptureRejection(400, "request holds no event");
        }
        List<CapturedEvent> events = new ArrayList<>(rawEvents.size());
        List<CapturedEvent> oversized = new ArrayList<>();
        for (int i = 0; i < rawEvents.size(); i++) {
            CapturedEvent event = toEvent(rawEvents.get(i), route, now, historical, sentAt);
            // Only an event that took a large part of the limit in the request is measured.
            if (read.span(i) > EVENT_MESSAGE_LIMIT / 2
                    && read.messageSize(i) > EVENT_MESSAGE_LIMIT) {
                oversized.add(event);
            } else {
                events.add(event);
            }
        }
        return new Parsed(events, oversized, token);
    }

    private CapturedEvent toEvent(
            JsonNode raw, String route, Instant now, boolean historical, JsonNode sentAt)
            throws CaptureRejection {
        if (!raw.isObject()) {
            throw new CaptureRejection(400, "failed to decode request: event is not an object");
        }
        JsonNode eventNode = raw.get("event");
        if (eventNode == null || !eventNode.isTextual() || eventNode.asText().isEmpty()) {
            throw new CaptureRejection(400, "event submitted with an empty event name");
        }
        // Shared with raw, not copied: neither is changed after parsing, and a copy doubled the
        // objects every stored event keeps alive (garbage collection dominated capture's cost).
        ObjectNode properties =
                raw.path("properties").isObject()
                        ? (ObjectNode) raw.get("properties")
                        : Json.object();
        properties = mergeTopLevel(raw, properties, "$set");
        properties = mergeTopLevel(raw, properties, "$set_once");
        String distinctId = distinctId(raw, properties);
        UUID uuid = uuid(raw, now);
        Instant timestamp = timestamps.resolve(raw, now, sentAt);
        return new CapturedEvent(
                uuid,
                eventNode.asText(),
                distinctId,
                properties,
                timestamp,
                now,
                historical,
                route,
                raw);
    }

    /**
     * Top-level {@code $set} / {@code $set_once} (posthog-python's {@code set()}, older SDKs) are
     * merged into {@code properties}, the top-level keys winning, as PostHog's ingestion does
     * ({@code nodejs/src/utils/event.ts} {@code sanitizeEvent}: {@code properties.$set =
     * {...properties.$set, ...event.$set}}). A top-level {@code $unset} is not read: capture's
     * {@code RawEvent} has no such field.
     */
    private static ObjectNode mergeTopLevel(JsonNode raw, ObjectNode properties, String field) {
        JsonNode topLevel = raw.get(field);
        if (topLevel == null || !topLevel.isObject() || topLevel.isEmpty()) {
            return properties;
        }
        // The properties as sent stay in raw: merge into a (shallow) copy of them.
        ObjectNode merging =
                properties == raw.get("properties") ? Json.object().setAll(properties) : properties;
        JsonNode existing = merging.get(field);
        ObjectNode merged =
                existing != null && existing.isObject()
                        ? ((ObjectNode) existing).deepCopy()
                        : Json.object();
        merged.setAll(((ObjectNode) topLevel).deepCopy());
        merging.set(field, merged);
        return merging;
    }

    private static String distinctId(JsonNode raw, JsonNode properties) throws CaptureRejection {
        JsonNode node = raw.get("distinct_id");
        if (node == null || node.isNull()) {
            node = raw.get("$distinct_id");
        }
        if (node == null || node.isNull()) {
            node = properties.get("distinct_id");
        }
        if (node == null || node.isNull()) {
            throw new CaptureRejection(400, "event submitted without a distinct_id");
        }
        // Strings as they are; numbers, booleans, arrays and objects as their JSON text.
        String value = node.isTextual() ? node.asText() : node.toString();
        value = value.replace('\0', '\uFFFD');
        if (value.isEmpty()) {
            throw new CaptureRejection(400, "event submitted without a distinct_id");
        }
        if (value.codePointCount(0, value.length()) > MAX_DISTINCT_ID_LENGTH) {
            value = value.substring(0, value.offsetByCodePoints(0, MAX_DISTINCT_ID_LENGTH));
        }
        return value;
    }

    private static final Pattern UUID_TEXT =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private static UUID uuid(JsonNode raw, Instant now) throws CaptureRejection {
        JsonNode node = raw.get("uuid");
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return UuidV7.at(now);
        }
        if (!node.isTextual()) {
            throw new CaptureRejection(400, "failed to parse request: invalid uuid");
        }
        String text = node.asText();
        UUID canonical = canonicalUuid(text);
        if (canonical != null) {
            return canonical;
        }
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new CaptureRejection(400, "failed to parse request: invalid uuid");
        }
        String hex = text.replace("-", "");
        return new UUID(
                Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** The 36-character form with dashes, parsed without a regex; null for any other text. */
    static UUID canonicalUuid(String text) {
        if (text.length() != 36
                || text.charAt(8) != '-'
                || text.charAt(13) != '-'
                || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            return null;
        }
        long most = 0;
        long least = 0;
        int nibbles = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            int value = Character.digit(text.charAt(i), 16);
            if (value < 0 || text.charAt(i) > 'f') {
                return null;
            }
            if (nibbles++ < 16) {
                most = (most << 4) | value;
            } else {
                least = (least << 4) | value;
            }
        }
        return new UUID(most, least);
    }

    private static String commonToken(List<JsonNode> events) throws CaptureRejection {
        Set<String> tokens = new LinkedHashSet<>();
        for (JsonNode event : events) {
            String token = eventToken(event);
            if (token != null) {
                tokens.add(token);
            }
        }
        if (tokens.size() > 1) {
            throw new CaptureRejection(401, "batch submitted with inconsistent api_key values");
        }
        return tokens.isEmpty() ? null : tokens.iterator().next();
    }

    private static String eventToken(JsonNode event) {
        String token = firstText(event, "token", "$token", "api_key");
        if (token == null) {
            token = firstText(event.path("properties"), "token", "$token", "api_key");
        }
        return token;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.asText().isEmpty()) {
                return value.asText();
            }
        }
        return null;
    }
}
