package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/**
 * A capture body read in one streaming pass, without building a tree of its events: its root (a
 * bare array, a batch envelope or one event), the envelope's fields, and for each event where its
 * JSON is in the body and the fields capture reads ({@link EventFields}). The whole body is parsed,
 * so invalid JSON anywhere fails it; after the root value nothing more is read, as a tree parse
 * would not either. A repeated key answers as in a tree: the last one wins.
 */
final class CaptureBody {
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

    final Shape shape;

    /**
     * For a batch or a single event, the root's {@code api_key}, {@code token}, {@code sent_at},
     * {@code historical_migration}, {@code created_at}, {@code capture_internal}, and {@code batch}
     * when that is no array; empty otherwise.
     */
    final ObjectNode envelope;

    /** The array's or the batch's events, or the single event. */
    final List<EventFields> events;

    final byte[] bytes;

    CaptureBody(Shape shape, ObjectNode envelope, List<EventFields> events, byte[] bytes) {
        this.shape = shape;
        this.envelope = envelope;
        this.events = events;
        this.bytes = bytes;
    }

    /**
     * Reads the first {@code length} bytes of {@code bytes}: by the {@link FastBodyReader} when it
     * takes the body, else by the {@link JacksonBodyReader}.
     */
    static CaptureBody read(byte[] bytes, int length) throws IOException {
        return read(bytes, length, true);
    }

    /** As {@link #read(byte[], int)}; without {@code fast}, by the Jackson reader only. */
    static CaptureBody read(byte[] bytes, int length, boolean fast) throws IOException {
        CaptureBody read = fast ? FastBodyReader.read(bytes, length) : null;
        return read != null ? read : JacksonBodyReader.read(bytes, length);
    }

    /** The event's JSON as a tree (capture v1 validates trees). */
    JsonNode eventTree(int index) throws IOException {
        EventFields event = events.get(index);
        return Json.MAPPER.readTree(bytes, event.start, event.end - event.start);
    }

    /** The bytes event {@code index} took in the request. */
    int span(int index) {
        EventFields event = events.get(index);
        return event.end - event.start;
    }

    /**
     * Event {@code index}'s size as a Kafka message, as {@code rust/capture} produces it: the event
     * JSON as a string inside the message (each quote and backslash escaped) plus the envelope.
     */
    long messageSize(int index) {
        EventFields event = events.get(index);
        long size = event.end - event.start + MESSAGE_ENVELOPE_BYTES;
        for (int i = event.start; i < event.end; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\') {
                size++;
            }
        }
        return size;
    }
}
