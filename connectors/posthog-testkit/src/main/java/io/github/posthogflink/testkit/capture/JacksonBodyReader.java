package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads any capture body with Jackson's streaming parser, which decides what is valid JSON: every
 * body the {@link FastBodyReader} does not take.
 */
final class JacksonBodyReader {
    private JacksonBodyReader() {}

    /** Reads the first {@code length} bytes of {@code bytes}. */
    static CaptureBody read(byte[] bytes, int length) throws IOException {
        ObjectNode envelope = Json.object();
        try (JsonParser parser = Json.MAPPER.createParser(bytes, 0, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new CaptureBody(CaptureBody.Shape.EMPTY, envelope, List.of(), bytes);
            }
            if (first == JsonToken.START_ARRAY) {
                List<EventFields> events = readEvents(parser);
                endOfBody(parser);
                return new CaptureBody(CaptureBody.Shape.ARRAY, envelope, events, bytes);
            }
            if (first != JsonToken.START_OBJECT) {
                return new CaptureBody(CaptureBody.Shape.OTHER, envelope, List.of(), bytes);
            }
            EventFields root = new EventFields();
            root.object = true;
            root.start = (int) parser.currentTokenLocation().getByteOffset();
            List<EventFields> batch = readObject(parser, root, envelope);
            root.end = (int) parser.currentLocation().getByteOffset();
            endOfBody(parser);
            if (batch == null) {
                return new CaptureBody(
                        envelope.has("batch") ? CaptureBody.Shape.BATCH : CaptureBody.Shape.EVENT,
                        envelope,
                        envelope.has("batch") ? List.of() : List.of(root),
                        bytes);
            }
            return new CaptureBody(CaptureBody.Shape.BATCH, envelope, batch, bytes);
        }
    }

    /** Only whitespace may follow the root value ("trailing characters" to serde_json). */
    private static void endOfBody(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new IOException("trailing characters after the JSON value");
        }
    }

    /** The events of the array the parser is at the start of. */
    private static List<EventFields> readEvents(JsonParser parser) throws IOException {
        List<EventFields> events = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new IOException("unterminated JSON array");
            }
            EventFields event = new EventFields();
            event.start = (int) parser.currentTokenLocation().getByteOffset();
            if (token == JsonToken.START_OBJECT) {
                event.object = true;
                readObject(parser, event, null);
            } else {
                parser.skipChildren();
            }
            event.end = (int) parser.currentLocation().getByteOffset();
            events.add(event);
        }
        return events;
    }

    /**
     * Reads the object the parser is at the start of into {@code event}; at the root ({@code
     * envelope} not null) also the envelope's fields and the events of its last {@code batch}
     * array, which are returned (null when there is none).
     */
    private static List<EventFields> readObject(
            JsonParser parser, EventFields event, ObjectNode envelope) throws IOException {
        List<EventFields> batch = null;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "event" ->
                        event.event = value == JsonToken.VALUE_STRING ? text(parser) : skip(parser);
                case "distinct_id" -> event.distinctId = asText(parser);
                case "$distinct_id" -> event.dollarDistinctId = asText(parser);
                case "uuid" -> {
                    event.uuid(value == JsonToken.VALUE_STRING ? text(parser) : skip(parser));
                    event.uuidNotText =
                            value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL;
                }
                case "timestamp" -> {
                    event.timestampGiven = value != JsonToken.VALUE_NULL;
                    event.timestamp =
                            value == JsonToken.VALUE_STRING
                                    ? TimestampResolver.parse(text(parser))
                                    : null;
                    parser.skipChildren();
                }
                case "offset" -> event.offset = node(parser);
                case "properties" -> {
                    event.clearProperties();
                    if (value == JsonToken.START_OBJECT) {
                        readProperties(parser, event);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "$set" -> event.topLevelFlags = topLevelSet(parser, event, CapturedEvent.SET);
                case "$set_once" ->
                        event.topLevelFlags = topLevelSet(parser, event, CapturedEvent.SET_ONCE);
                case "token", "$token", "api_key", "sent_at" -> {
                    JsonNode node = node(parser);
                    if (name.equals("sent_at")) {
                        event.sentAt = node;
                    } else {
                        event.token(EventFields.tokenIndex(name), node);
                    }
                    if (envelope != null && !name.equals("$token")) {
                        envelope.set(name, node);
                    }
                }
                case "batch", "historical_migration", "created_at", "capture_internal" -> {
                    if (envelope == null) {
                        parser.skipChildren();
                    } else if (name.equals("batch") && value == JsonToken.START_ARRAY) {
                        envelope.remove("batch");
                        batch = readEvents(parser);
                    } else {
                        if (name.equals("batch")) {
                            batch = null;
                        }
                        envelope.set(name, node(parser));
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated JSON object");
        }
        return batch;
    }

    private static void readProperties(JsonParser parser, EventFields event) throws IOException {
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "distinct_id" -> event.propertiesDistinctId = asText(parser);
                case "$ignore_sent_at" ->
                        event.ignoreSentAt =
                                value == JsonToken.VALUE_TRUE
                                        || (value != JsonToken.VALUE_FALSE
                                                && node(parser).asBoolean(false));
                case "token", "$token", "api_key" ->
                        event.token(3 + EventFields.tokenIndex(name), node(parser));
                case "$set" -> present(parser, event, CapturedEvent.SET);
                case "$set_once" -> present(parser, event, CapturedEvent.SET_ONCE);
                case "$unset" -> present(parser, event, CapturedEvent.UNSET);
                case "$groups" -> present(parser, event, CapturedEvent.GROUPS);
                case "$process_person_profile" ->
                        present(parser, event, CapturedEvent.PROCESS_PERSON_PROFILE);
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated JSON object");
        }
    }

    private static void present(JsonParser parser, EventFields event, int flag) throws IOException {
        event.propertyFlags |= flag;
        parser.skipChildren();
    }

    /** The event's top-level flags with {@code flag} set when this value is merged. */
    private static int topLevelSet(JsonParser parser, EventFields event, int flag)
            throws IOException {
        int flags = event.topLevelFlags & ~flag;
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return flags;
        }
        if (parser.nextToken() == JsonToken.END_OBJECT) {
            return flags;
        }
        // At the first key of a non-empty object: skip each value, then the rest of the keys.
        do {
            parser.nextToken();
            parser.skipChildren();
        } while (parser.nextToken() == JsonToken.FIELD_NAME);
        return flags | flag;
    }

    /** The current string value. */
    private static String text(JsonParser parser) throws IOException {
        return parser.getText();
    }

    /** Skips the current value; null. */
    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /** A string as it is, JSON null as null, any other value as its JSON text. */
    private static String asText(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> node(parser).toString();
        };
    }

    /** The current value as a tree parse would have built it. */
    private static JsonNode node(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> Json.MAPPER.readTree(parser);
        };
    }
}
