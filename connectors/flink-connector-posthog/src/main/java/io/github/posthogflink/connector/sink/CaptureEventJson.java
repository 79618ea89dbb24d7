package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes a {@link PostHogEvent} as capture JSON in one pass, with the sink's uuid, timestamp,
 * {@code $lib} and {@code $lib_version}: no JSON tree and no generator in between. Strings, whole
 * numbers, finite doubles and booleans are written here; any other property value goes through
 * Jackson, as the rest of the client serializes it. Keeps its buffer between calls, so one instance
 * serves one thread.
 */
final class CaptureEventJson {
    static final String LIB_PROPERTY = "$lib";
    static final String LIB_VERSION_PROPERTY = "$lib_version";

    private static final byte[] EVENT = bytes("{\"event\":");
    private static final byte[] DISTINCT_ID = bytes(",\"distinct_id\":");
    private static final byte[] PROPERTIES = bytes(",\"properties\":{");
    private static final byte[] LIB_PROPERTIES = libProperties();
    private static final byte[] TIMESTAMP = bytes("},\"timestamp\":\"");
    private static final byte[] UUID = bytes("\",\"uuid\":\"");
    private static final byte[] END = bytes("\"}");
    private static final byte[] NULL = bytes("null");
    private static final byte[] HEX = bytes("0123456789ABCDEF");
    private static final byte[] LOWER_HEX = bytes("0123456789abcdef");

    private final IsoInstants.DayCache day = new IsoInstants.DayCache();
    private byte[] buffer = new byte[1024];
    private int position;

    /** The event written by {@link #write}: its uuid is this many bytes before its end. */
    static final int UUID_FROM_END = 36 + 2;

    private final BiConsumer<String, Object> property = this::property;

    byte[] write(PostHogEvent event, String uuid, Instant timestamp) {
        head(event, timestamp);
        ascii(uuid);
        append(END);
        return Arrays.copyOf(buffer, position);
    }

    /**
     * As {@link #write(PostHogEvent, String, Instant)} with the uuid given by its bits, written in
     * {@link java.util.UUID#toString()}'s canonical lower-case form without a String.
     */
    byte[] write(PostHogEvent event, long msb, long lsb, Instant timestamp) {
        head(event, timestamp);
        ensure(36);
        hex(msb >>> 32, 8);
        buffer[position++] = '-';
        hex(msb >>> 16, 4);
        buffer[position++] = '-';
        hex(msb, 4);
        buffer[position++] = '-';
        hex(lsb >>> 48, 4);
        buffer[position++] = '-';
        hex(lsb, 12);
        append(END);
        return Arrays.copyOf(buffer, position);
    }

    /** Everything up to the uuid's text. */
    private void head(PostHogEvent event, Instant timestamp) {
        position = 0;
        append(EVENT);
        string(event.event());
        append(DISTINCT_ID);
        string(event.distinctId());
        append(PROPERTIES);
        event.properties().forEach(property);
        append(LIB_PROPERTIES);
        append(TIMESTAMP);
        IsoInstants.write(timestamp, this, day);
        append(UUID);
    }

    private void property(String key, Object value) {
        if (!key.equals(LIB_PROPERTY) && !key.equals(LIB_VERSION_PROPERTY)) {
            string(key);
            put((byte) ':');
            value(value);
            put((byte) ',');
        }
    }

    /** The low {@code 4 * digits} bits of {@code bits} as lower-case hex; room reserved. */
    private void hex(long bits, int digits) {
        for (int i = position + digits - 1; i >= position; i--) {
            buffer[i] = LOWER_HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        position += digits;
    }

    private void value(Object value) {
        if (value == null) {
            append(NULL);
        } else if (value instanceof String text) {
            string(text);
        } else if (value instanceof Long number) {
            decimal(number);
        } else if (value instanceof Integer number) {
            decimal(number);
        } else if (value instanceof Boolean) {
            ascii(value.toString());
        } else if (value instanceof Double number && Double.isFinite(number)) {
            ascii(number.toString());
        } else {
            append(jackson(value));
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
    private void string(String text) {
        int start = position;
        int length = text.length();
        ensure(length * 6 + 2);
        byte[] out = buffer;
        int at = position;
        out[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                    continue;
                }
                position = at;
                escape(c);
                at = position;
            } else if (Character.isSurrogate(c)) {
                // Pairs and lone surrogates exactly as Jackson writes them.
                position = start;
                append(jackson(text));
                return;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        out[at++] = '"';
        position = at;
    }

    /** Writes the escape of {@code c}; {@link #string} has reserved the room. */
    private void escape(char c) {
        put((byte) '\\');
        switch (c) {
            case '"' -> put((byte) '"');
            case '\\' -> put((byte) '\\');
            case '\n' -> put((byte) 'n');
            case '\r' -> put((byte) 'r');
            case '\t' -> put((byte) 't');
            case '\b' -> put((byte) 'b');
            case '\f' -> put((byte) 'f');
            default -> {
                put((byte) 'u');
                put((byte) '0');
                put((byte) '0');
                put(HEX[c >> 4]);
                put(HEX[c & 0xf]);
            }
        }
    }

    /** Text known to be plain ASCII with nothing to escape (numbers, uuids, timestamps). */
    void ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[position++] = (byte) text.charAt(i);
        }
    }

    /** A whole number in decimal, as {@link Long#toString(long)} writes it, without a String. */
    private void decimal(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buffer[position++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = position + digits - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += digits;
    }

    /** {@code value}, zero-padded to {@code width} decimal digits. */
    void digits(int value, int width) {
        ensure(width);
        for (int i = position + width - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += width;
    }

    void put(byte b) {
        ensure(1);
        buffer[position++] = b;
    }

    void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    private void append(byte[] bytes, int from, int length) {
        ensure(length);
        System.arraycopy(bytes, from, buffer, position, length);
        position += length;
    }

    private void ensure(int more) {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }

    private static byte[] jackson(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize an event property", e);
        }
    }

    /** {@code "$lib":"posthog-flink","$lib_version":"..."} as Jackson writes it. */
    private static byte[] libProperties() {
        Map<String, String> lib = new LinkedHashMap<>();
        lib.put(LIB_PROPERTY, PostHogElementConverter.LIB);
        lib.put(LIB_VERSION_PROPERTY, PostHogClientVersion.VERSION);
        byte[] object = Json.write(lib);
        return Arrays.copyOfRange(object, 1, object.length - 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
