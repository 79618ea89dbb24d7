package io.github.posthogflink.testkit.capture;

import com.fasterxml.jackson.databind.JsonNode;

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
 * {@code rust/capture} does: one malformed event fails the whole request. The body is streamed over
 * once ({@link CaptureBody}); each event is stored as its JSON and the fields read here.
 */
public final class CaptureParser {
    static final int MAX_DISTINCT_ID_LENGTH = 200;

    /**
     * The largest event PostHog's Kafka producer takes ({@code message.max.bytes}, {@code
     * KAFKA_PRODUCER_MESSAGE_MAX_BYTES} = 1,000,000 in {@code rust/capture}); a larger one fails
     * with {@code EventTooBig}, a 413.
     */
    public static final long EVENT_MESSAGE_LIMIT = 1_000_000;

    private static final Pattern UUID_TEXT =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private final TimestampResolver timestamps;
    private final boolean fastReader;

    public CaptureParser(TimestampResolver timestamps) {
        this(timestamps, true);
    }

    /** Without {@code fastReader}, every body is read by Jackson (to compare the two). */
    CaptureParser(TimestampResolver timestamps, boolean fastReader) {
        this.timestamps = timestamps;
        this.fastReader = fastReader;
    }

    /**
     * The events of a request to store, how many were refused as too large for PostHog to store,
     * and the one token they carry (null when none).
     */
    public record Parsed(List<CapturedEvent> events, int oversized, String token) {}

    /**
     * Parses the first {@code length} bytes of {@code body}; the events keep copies of their JSON,
     * so that the caller may reuse {@code body}.
     */
    public Parsed parse(byte[] body, int length, String route, Instant now)
            throws CaptureRejection {
        CaptureBody read;
        try {
            read = CaptureBody.read(body, length, fastReader);
        } catch (IOException e) {
            throw new CaptureRejection(400, "failed to parse request: invalid JSON");
        }
        List<EventFields> rawEvents = read.events;
        String token;
        boolean historical = false;
        JsonNode sentAt = null;
        switch (read.shape) {
            case EMPTY -> throw new CaptureRejection(400, "failed to decode request: empty body");
            case OTHER -> throw new CaptureRejection(400, "failed to decode request: not an event");
            case ARRAY -> token = commonToken(rawEvents);
            case BATCH -> {
                JsonNode envelope = read.envelope;
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
            default -> token = rawEvents.get(0).token();
        }
        if (rawEvents.isEmpty()) {
            throw new CaptureRejection(400, "request holds no event");
        }
        boolean[] tooLarge = new boolean[rawEvents.size()];
        for (int i = 0; i < rawEvents.size(); i++) {
            // Only an event that took a large part of the limit in the request is measured.
            tooLarge[i] =
                    read.span(i) > EVENT_MESSAGE_LIMIT / 2
                            && read.messageSize(i) > EVENT_MESSAGE_LIMIT;
        }
        StoredJson.copy(body, rawEvents, tooLarge);
        List<CapturedEvent> events = new ArrayList<>(rawEvents.size());
        int oversized = 0;
        Batch batch = new Batch(route, now, historical, sentAt);
        for (int i = 0; i < rawEvents.size(); i++) {
            CapturedEvent event = toEvent(rawEvents.get(i), batch);
            if (tooLarge[i]) {
                oversized++;
            } else {
                events.add(event);
            }
        }
        return new Parsed(events, oversized, token);
    }

    /** What the events of one request share. */
    private static final class Batch {
        final String route;
        final Instant now;
        final boolean historical;
        final JsonNode sentAt;

        Batch(String route, Instant now, boolean historical, JsonNode sentAt) {
            this.route = route;
            this.now = now;
            this.historical = historical;
            this.sentAt = sentAt;
        }
    }

    /** Validates an event as PostHog's capture does and builds it. */
    private CapturedEvent toEvent(EventFields raw, Batch batch) throws CaptureRejection {
        if (!raw.object) {
            throw new CaptureRejection(400, "failed to decode request: event is not an object");
        }
        String name = raw.event;
        if (name == null || name.isEmpty()) {
            throw new CaptureRejection(400, "event submitted with an empty event name");
        }
        String distinctId = distinctId(raw);
        UUID uuid = uuid(raw, batch.now);
        Instant timestamp =
                timestamps.resolve(
                        raw.timestampGiven,
                        raw.timestamp,
                        raw.sentAt,
                        raw.offset,
                        raw.ignoreSentAt,
                        batch.now,
                        batch.sentAt);
        return new CapturedEvent(
                uuid.getMostSignificantBits(),
                uuid.getLeastSignificantBits(),
                name,
                distinctId,
                timestamp,
                batch.now,
                batch.historical,
                batch.route,
                raw.json,
                raw.jsonStart,
                raw.jsonStart + raw.end - raw.start,
                raw.flags());
    }

    /**
     * {@code distinct_id}, else {@code $distinct_id}, else {@code properties.distinct_id}: strings
     * as they are; numbers, booleans, arrays and objects as their JSON text.
     */
    private static String distinctId(EventFields raw) throws CaptureRejection {
        String value = raw.distinctId;
        if (value == null) {
            value = raw.dollarDistinctId;
        }
        if (value == null) {
            value = raw.propertiesDistinctId;
        }
        if (value == null || value.isEmpty()) {
            throw new CaptureRejection(400, "event submitted without a distinct_id");
        }
        if (value.indexOf('\0') >= 0) {
            value = value.replace('\0', '\uFFFD');
        }
        if (value.length() > MAX_DISTINCT_ID_LENGTH
                && value.codePointCount(0, value.length()) > MAX_DISTINCT_ID_LENGTH) {
            value = value.substring(0, value.offsetByCodePoints(0, MAX_DISTINCT_ID_LENGTH));
        }
        return value;
    }

    private static UUID uuid(EventFields raw, Instant now) throws CaptureRejection {
        if (raw.uuidNotText) {
            throw new CaptureRejection(400, "failed to parse request: invalid uuid");
        }
        if (raw.uuidCanonical) {
            return new UUID(raw.uuidHigh, raw.uuidLow);
        }
        String text = raw.uuid;
        if (text == null || text.isEmpty()) {
            return UuidV7.at(now);
        }
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

    private static String commonToken(List<EventFields> events) throws CaptureRejection {
        Set<String> tokens = new LinkedHashSet<>();
        for (EventFields event : events) {
            String token = event.token();
            if (token != null) {
                tokens.add(token);
            }
        }
        if (tokens.size() > 1) {
            throw new CaptureRejection(401, "batch submitted with inconsistent api_key values");
        }
        return tokens.isEmpty() ? null : tokens.iterator().next();
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
