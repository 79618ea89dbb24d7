package io.github.posthogflink.jobs.io;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An input record as read: its bytes (not yet decoded, so invalid UTF-8 can be detected) and its
 * position in the source, e.g. {@code file:/data/events.ndjson:42} or {@code kafka:events/3/1042}.
 * The position is stable across reruns: events without a uuid get one derived from it.
 *
 * <p>A record longer than {@link #MAX_RECORD_BYTES} is not kept whole: {@code payload} holds its
 * first {@link #OVERSIZED_PREFIX_BYTES} bytes and {@code size} its real length ({@link
 * #oversized()}); the parser dead-letters it.
 *
 * @param size the record's length in bytes (the payload's length unless oversized)
 */
public record RawRecord(byte[] payload, String position, long size) implements Serializable {

    /** The longest record the pipeline reads whole: 16 MiB. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /** How much of an oversized record is kept for its dead letter. */
    public static final int OVERSIZED_PREFIX_BYTES = 1024;

    public RawRecord(byte[] payload, String position) {
        this(payload, position, payload.length);
    }

    /**
     * An oversized record: the beginning of {@code bytes} (cut before an incomplete UTF-8 sequence)
     * and its full length.
     */
    public static RawRecord oversized(byte[] bytes, int length, String position, long size) {
        int end = Math.min(length, OVERSIZED_PREFIX_BYTES);
        if (end < length) {
            end = utf8Boundary(bytes, end);
        }
        return new RawRecord(Arrays.copyOf(bytes, end), position, size);
    }

    /** True when the record was longer than {@link #MAX_RECORD_BYTES} and is only a prefix. */
    public boolean oversized() {
        return size > payload.length;
    }

    public static String filePosition(String path, long lineNumber) {
        return "file:" + path + ":" + lineNumber;
    }

    public static String kafkaPosition(String topic, int partition, long offset) {
        return "kafka:" + topic + "/" + partition + "/" + offset;
    }

    /** Its position and size, never its content. */
    @Override
    public String toString() {
        return "RawRecord[position=" + position + ", size=" + size + "]";
    }

    /** The largest cut at or before {@code end} that does not split a UTF-8 sequence. */
    private static int utf8Boundary(byte[] bytes, int end) {
        int cut = end;
        // Back off over continuation bytes (10xxxxxx) to the lead byte of the last sequence.
        while (cut > 0 && cut > end - 4 && (bytes[cut - 1] & 0xC0) == 0x80) {
            cut--;
        }
        if (cut > 0 && (bytes[cut - 1] & 0x80) != 0) {
            int lead = bytes[cut - 1] & 0xFF;
            int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            // Keep the sequence only if it is complete within end.
            return (cut - 1) + length <= end ? end : cut - 1;
        }
        return end;
    }
}
