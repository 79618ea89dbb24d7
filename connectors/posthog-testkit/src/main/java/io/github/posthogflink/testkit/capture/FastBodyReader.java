package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the capture bodies SDKs send byte by byte, several times faster than a general JSON parser:
 * only the fields capture needs are decoded, every other value is checked and skipped. It takes
 * only what it checks completely, a strict subset of JSON ({@link ByteCursor}: well-formed UTF-8,
 * the standard escapes, short numbers, shallow nesting, object keys in plain ASCII). For anything
 * else, invalid JSON included, it gives up and the {@link JacksonBodyReader} reads the body, so
 * that Jackson alone decides what is valid. The values capture keeps as trees (tokens, {@code
 * sent_at}, non-string distinct ids) are built by Jackson from their bytes. Both readers record the
 * same {@link EventFields}.
 */
final class FastBodyReader {
    private final ByteCursor in;
    private final long[] uuid = new long[2];

    private FastBodyReader(byte[] bytes, int length) {
        this.in = new ByteCursor(bytes, length);
    }

    /** The body, or null when the Jackson reader must read it. */
    static CaptureBody read(byte[] bytes, int length) {
        try {
            return new FastBodyReader(bytes, length).body();
        } catch (ByteCursor.GiveUp e) {
            return null;
        }
    }

    private CaptureBody body() throws ByteCursor.GiveUp {
        in.whitespace();
        int first = in.peek();
        ObjectNode envelope = Json.object();
        if (first == '[') {
            List<EventFields> events = events();
            endOfBody();
            return new CaptureBody(CaptureBody.Shape.ARRAY, envelope, events, in.b);
        }
        if (first != '{') {
            throw ByteCursor.GIVE_UP;
        }
        EventFields root = new EventFields();
        root.object = true;
        root.start = in.pos;
        List<EventFields> batch = object(root, envelope);
        root.end = in.pos;
        endOfBody();
        if (batch != null) {
            return new CaptureBody(CaptureBody.Shape.BATCH, envelope, batch, in.b);
        }
        boolean badBatch = envelope.has("batch");
        return new CaptureBody(
                badBatch ? CaptureBody.Shape.BATCH : CaptureBody.Shape.EVENT,
                envelope,
                badBatch ? List.of() : List.of(root),
                in.b);
    }

    /**
     * Only whitespace may follow the root value, as serde_json reads capture's body; anything else
     * is for the Jackson reader to refuse.
     */
    private void endOfBody() throws ByteCursor.GiveUp {
        in.whitespace();
        if (in.pos < in.end) {
            throw ByteCursor.GIVE_UP;
        }
    }

    /** The elements of the array at the position, each an event (or not an object). */
    private List<EventFields> events() throws ByteCursor.GiveUp {
        List<EventFields> events = new ArrayList<>();
        in.enter();
        if (in.closesAt(']')) {
            return events;
        }
        do {
            EventFields event = new EventFields();
            event.start = in.pos;
            if (in.peek() == '{') {
                event.object = true;
                object(event, null);
            } else {
                in.skipValue();
            }
            event.end = in.pos;
            events.add(event);
        } while (in.separator(']'));
        return events;
    }

    /**
     * Reads the object at the position into {@code event}; at the root ({@code envelope} not null)
     * also the envelope's fields and the events of its last {@code batch} array, returned (null
     * when there is none).
     */
    private List<EventFields> object(EventFields event, ObjectNode envelope)
            throws ByteCursor.GiveUp {
        List<EventFields> batch = null;
        in.enter();
        if (in.closesAt('}')) {
            return null;
        }
        do {
            int key = key(envelope == null ? Key.EVENT : Key.ROOT);
            switch (key) {
                case Key.NAME -> event.event = in.peek() == '"' ? in.string(true) : skipped();
                case Key.DISTINCT_ID -> event.distinctId = in.text();
                case Key.DOLLAR_DISTINCT_ID -> event.dollarDistinctId = in.text();
                case Key.UUID -> uuid(event);
                case Key.TIMESTAMP -> timestamp(event);
                case Key.OFFSET -> event.offset = in.node();
                case Key.PROPERTIES -> {
                    event.clearProperties();
                    if (in.peek() == '{') {
                        properties(event);
                    } else {
                        in.skipValue();
                    }
                }
                case Key.SET -> event.topLevelFlags = topLevelSet(event, CapturedEvent.SET);
                case Key.SET_ONCE ->
                        event.topLevelFlags = topLevelSet(event, CapturedEvent.SET_ONCE);
                case Key.TOKEN, Key.DOLLAR_TOKEN, Key.API_KEY -> {
                    JsonNode node = in.node();
                    event.token(key - Key.TOKEN, node);
                    if (envelope != null && key != Key.DOLLAR_TOKEN) {
                        envelope.set(Key.NAMES[key], node);
                    }
                }
                case Key.SENT_AT -> {
                    event.sentAt = in.node();
                    if (envelope != null) {
                        envelope.set(Key.NAMES[key], event.sentAt);
                    }
                }
                case Key.BATCH -> {
                    if (in.peek() == '[') {
                        envelope.remove("batch");
                        batch = events();
                    } else {
                        batch = null;
                        envelope.set("batch", in.node());
                    }
                }
                case Key.HISTORICAL_MIGRATION, Key.CREATED_AT, Key.CAPTURE_INTERNAL ->
                        envelope.set(Key.NAMES[key], in.node());
                default -> in.skipValue();
            }
        } while (in.separator('}'));
        return batch;
    }

    private void properties(EventFields event) throws ByteCursor.GiveUp {
        in.enter();
        if (in.closesAt('}')) {
            return;
        }
        do {
            int key = key(Key.PROPERTIES_KEYS);
            switch (key) {
                case Key.DISTINCT_ID -> event.propertiesDistinctId = in.text();
                case Key.IGNORE_SENT_AT -> event.ignoreSentAt = ignoreSentAt();
                case Key.TOKEN, Key.DOLLAR_TOKEN, Key.API_KEY ->
                        event.token(3 + key - Key.TOKEN, in.node());
                case Key.SET -> present(event, CapturedEvent.SET);
                case Key.SET_ONCE -> present(event, CapturedEvent.SET_ONCE);
                case Key.UNSET -> present(event, CapturedEvent.UNSET);
                case Key.GROUPS -> present(event, CapturedEvent.GROUPS);
                case Key.PROCESS_PERSON_PROFILE ->
                        present(event, CapturedEvent.PROCESS_PERSON_PROFILE);
                default -> in.skipValue();
            }
        } while (in.separator('}'));
    }

    /** Reads a key and its colon: which of {@code keys} (a bit set) it is, or -1. */
    private int key(long keys) throws ByteCursor.GiveUp {
        int start = in.key();
        return Key.find(keys, in.b, start, in.keyLength);
    }

    private String skipped() throws ByteCursor.GiveUp {
        in.skipValue();
        return null;
    }

    private void present(EventFields event, int flag) throws ByteCursor.GiveUp {
        event.propertyFlags |= flag;
        in.skipValue();
    }

    private int topLevelSet(EventFields event, int flag) throws ByteCursor.GiveUp {
        int flags = event.topLevelFlags & ~flag;
        if (in.peek() != '{') {
            in.skipValue();
            return flags;
        }
        int first = in.pos + 1;
        while (first < in.end && ByteCursor.whitespace(in.b[first])) {
            first++;
        }
        boolean empty = first < in.end && in.b[first] == '}';
        in.skipValue();
        return empty ? flags : flags | flag;
    }

    /** {@code $ignore_sent_at} read as {@code JsonNode.asBoolean(false)} reads it. */
    private boolean ignoreSentAt() throws ByteCursor.GiveUp {
        return switch (in.peek()) {
            case 't' -> {
                in.literal("true");
                yield true;
            }
            case 'f' -> {
                in.literal("false");
                yield false;
            }
            default -> in.node().asBoolean(false);
        };
    }

    private void uuid(EventFields event) throws ByteCursor.GiveUp {
        int c = in.peek();
        if (c == '"') {
            if (in.canonicalUuid(uuid)) {
                event.uuid(null);
                event.uuidCanonical = true;
                event.uuidHigh = uuid[0];
                event.uuidLow = uuid[1];
            } else {
                event.uuid(in.string(false));
            }
            return;
        }
        event.uuid(null);
        if (c == 'n') {
            in.literal("null");
        } else {
            in.skipValue();
            event.uuidNotText = true;
        }
    }

    private void timestamp(EventFields event) throws ByteCursor.GiveUp {
        int c = in.peek();
        event.timestampGiven = c != 'n';
        event.timestamp = null;
        if (c != '"') {
            in.skipValue();
            return;
        }
        int start = in.pos + 1;
        in.skipString();
        int length = in.pos - 1 - start;
        Instant time = null;
        if (!in.escaped && !in.nonAscii) {
            time = TimestampResolver.parseCommonIso(in.ascii(start, length));
        }
        event.timestamp = time != null ? time : TimestampResolver.parse(in.decoded(start, length));
    }

    /** The keys the reader looks for, by their place in {@link #NAMES}. */
    static final class Key {
        static final int NAME = 0;
        static final int DISTINCT_ID = 1;
        static final int DOLLAR_DISTINCT_ID = 2;
        static final int UUID = 3;
        static final int TIMESTAMP = 4;
        static final int OFFSET = 5;
        static final int PROPERTIES = 6;
        static final int SET = 7;
        static final int SET_ONCE = 8;
        static final int TOKEN = 9;
        static final int DOLLAR_TOKEN = 10;
        static final int API_KEY = 11;
        static final int SENT_AT = 12;
        static final int BATCH = 13;
        static final int HISTORICAL_MIGRATION = 14;
        static final int CREATED_AT = 15;
        static final int CAPTURE_INTERNAL = 16;
        static final int IGNORE_SENT_AT = 17;
        static final int UNSET = 18;
        static final int GROUPS = 19;
        static final int PROCESS_PERSON_PROFILE = 20;

        static final String[] NAMES = {
            "event",
            "distinct_id",
            "$distinct_id",
            "uuid",
            "timestamp",
            "offset",
            "properties",
            "$set",
            "$set_once",
            "token",
            "$token",
            "api_key",
            "sent_at",
            "batch",
            "historical_migration",
            "created_at",
            "capture_internal",
            "$ignore_sent_at",
            "$unset",
            "$groups",
            "$process_person_profile"
        };

        private static final byte[][] BYTES =
                Arrays.stream(NAMES)
                        .map(name -> name.getBytes(StandardCharsets.US_ASCII))
                        .toArray(byte[][]::new);

        /** The keys of an event, of the root (an event or the envelope), of properties. */
        static final long EVENT = range(0, 13);

        static final long ROOT = range(0, 17);
        static final long PROPERTIES_KEYS =
                1L << DISTINCT_ID
                        | 1L << IGNORE_SENT_AT
                        | 1L << TOKEN
                        | 1L << DOLLAR_TOKEN
                        | 1L << API_KEY
                        | 1L << SET
                        | 1L << SET_ONCE
                        | 1L << UNSET
                        | 1L << GROUPS
                        | 1L << PROCESS_PERSON_PROFILE;

        /** The key of each {@link #slot}: a perfect hash of the names, checked at start-up. */
        private static final int[] BY_SLOT = new int[64];

        static {
            Arrays.fill(BY_SLOT, -1);
            for (int key = 0; key < NAMES.length; key++) {
                byte[] name = BYTES[key];
                int slot = slot(name, 0, name.length);
                if (BY_SLOT[slot] != -1) {
                    throw new IllegalStateException("capture keys share a hash slot: " + slot);
                }
                BY_SLOT[slot] = key;
            }
        }

        private Key() {}

        private static long range(int from, int to) {
            return (1L << to) - (1L << from);
        }

        private static int slot(byte[] bytes, int start, int length) {
            return (length
                            + bytes[start]
                            + bytes[start + length - 1]
                            + 11 * bytes[start + (length >> 1)])
                    & 63;
        }

        /** Which of {@code keys} (a bit set) the bytes are, or -1. */
        static int find(long keys, byte[] bytes, int start, int length) {
            if (length == 0) {
                return -1;
            }
            int key = BY_SLOT[slot(bytes, start, length)];
            if (key < 0 || (keys & 1L << key) == 0) {
                return -1;
            }
            byte[] name = BYTES[key];
            if (name.length != length) {
                return -1;
            }
            for (int i = 0; i < length; i++) {
                if (name[i] != bytes[start + i]) {
                    return -1;
                }
            }
            return key;
        }
    }
}
