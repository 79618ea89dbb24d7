package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture body read in one pass: its root (a bare array, a batch envelope or one event), its
 * events, and the bytes each event took in the request, from which its size as PostHog's Kafka
 * producer sees it is estimated ({@link #messageSize(int)}).
 *
 * @param shape what the root is
 * @param root the envelope's fields other than {@code batch} (its {@code batch} too when that is no
 *     array), or the single event; null for an array or an empty body
 * @param events the array's or the batch's events, or the single event
 */
record CaptureBody(Shape shape, JsonNode root, List<JsonNode> events, byte[] bytes, int[] spans) {
    /** The root of a capture body. */
    enum Shape {
        EMPTY,
        ARRAY,
        BATCH,
        EVENT,
        OTHER
    }

    /**
     * The fixed part of a Kafka capture message: the {@code CapturedEvent} envelope around the
     * event's JSON ({@code uuid}, {@code distinct_id}, {@code ip}, {@code now}, {@code token},
     * ...).
     */
    private static final int MESSAGE_ENVELOPE_BYTES = 512;

    /**
     * A body this small cannot hold an event over {@code limit}: its message size is at most twice
     * its bytes (every byte escaped) plus the envelope.
     */
    static int unmeasuredBytes(long limit) {
        return (int) ((limit - MESSAGE_ENVELOPE_BYTES) / 2);
    }

    /**
     * Reads a body; event spans are recorded only when the body is larger than {@code
     * unmeasuredBytes(limit)}, so that small requests cost one tree parse.
     */
    static CaptureBody read(byte[] bytes, long limit) throws IOException {
        if (bytes.length > unmeasuredBytes(limit)) {
            return readWithSpans(bytes);
        }
        JsonNode root = Json.parse(bytes);
        List<JsonNode> events = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            return new CaptureBody(Shape.EMPTY, null, events, bytes, new int[0]);
        }
        if (root.isArray()) {
            root.forEach(events::add);
            return new CaptureBody(Shape.ARRAY, null, events, bytes, new int[2 * events.size()]);
        }
        if (!root.isObject()) {
            return new CaptureBody(Shape.OTHER, root, events, bytes, new int[0]);
        }
        ObjectNode fields = (ObjectNode) root;
        JsonNode batch = fields.get("batch");
        if (batch == null) {
            events.add(fields);
            return new CaptureBody(Shape.EVENT, fields, events, bytes, new int[2]);
        }
        if (!batch.isArray()) {
            return new CaptureBody(Shape.BATCH, fields, events, bytes, new int[0]);
        }
        batch.forEach(events::add);
        ObjectNode envelope = Json.object();
        fields.properties()
                .forEach(
                        e -> {
                            if (!e.getKey().equals("batch")) {
                                envelope.set(e.getKey(), e.getValue());
                            }
                        });
        return new CaptureBody(Shape.BATCH, envelope, events, bytes, new int[2 * events.size()]);
    }

    private static CaptureBody readWithSpans(byte[] bytes) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readEvents(parser, events, spans);
                return new CaptureBody(Shape.ARRAY, null, events, bytes, flatten(spans));
            }
            if (first == null) {
                return new CaptureBody(Shape.EMPTY, null, events, bytes, new int[0]);
            }
            if (first != JsonToken.START_OBJECT) {
                return new CaptureBody(
                        Shape.OTHER, Json.MAPPER.readTree(parser), events, bytes, new int[0]);
            }
            ObjectNode fields = Json.object();
            boolean batch = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("batch".equals(name)) {
                    batch = true;
                    if (value == JsonToken.START_ARRAY) {
                        readEvents(parser, events, spans);
                        continue;
                    }
                }
                fields.set(name, Json.MAPPER.readTree(parser));
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unterminated JSON object");
            }
            if (!batch) {
                events.add(fields);
                spans.add(new int[] {0, bytes.length});
            }
            return new CaptureBody(
                    batch ? Shape.BATCH : Shape.EVENT, fields, events, bytes, flatten(spans));
        }
    }

    private static void readEvents(JsonParser parser, List<JsonNode> events, List<int[]> spans)
            throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw new IOException("unterminated JSON array");
            }
            int start = (int) parser.currentTokenLocation().getByteOffset();
            events.add(Json.MAPPER.readTree(parser));
            int end = (int) parser.currentLocation().getByteOffset();
            spans.add(new int[] {start, end});
        }
    }

    private static int[] flatten(List<int[]> spans) {
        int[] flat = new int[spans.size() * 2];
        for (int i = 0; i < spans.size(); i++) {
            flat[2 * i] = spans.get(i)[0];
            flat[2 * i + 1] = spans.get(i)[1];
        }
        return flat;
    }

    /** The bytes event {@code index} took in the request (0 when the body was not measured). */
    int span(int index) {
        return spans[2 * index + 1] - spans[2 * index];
    }

    /**
     * Event {@code index}'s size as a Kafka message, as {@code rust/capture} produces it: the event
     * JSON as a string inside the message (each quote and backslash escaped) plus the envelope.
     */
    long messageSize(int index) {
        int start = spans[2 * index];
        int end = spans[2 * index + 1];
        long size = end - start + MESSAGE_ENVELOPE_BYTES;
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\') {
                size++;
            }
        }
        return size;
    }
}
