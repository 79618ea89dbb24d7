package io.github.posthogflink.testkit.capture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One thread's strings by their UTF-8 bytes, so that the event names and distinct ids repeated
 * across events are one {@link String} each, made once: a stored event then keeps no string of its
 * own. Holds at most {@value #MAX_ENTRIES} strings, then starts over.
 */
final class TextInterner {
    private static final ThreadLocal<TextInterner> THREAD =
            ThreadLocal.withInitial(TextInterner::new);

    static final int MAX_ENTRIES = 1 << 14;

    /** Longer strings are not kept. */
    private static final int MAX_BYTES = 256;

    private final byte[][] keys = new byte[2 * MAX_ENTRIES][];
    private final String[] values = new String[2 * MAX_ENTRIES];
    private int size;

    static TextInterner forThread() {
        return THREAD.get();
    }

    /** The string of the UTF-8 bytes {@code [start, start + length)} (well-formed). */
    String intern(byte[] bytes, int start, int length, boolean ascii) {
        if (length > MAX_BYTES) {
            return decode(bytes, start, length, ascii);
        }
        int mask = keys.length - 1;
        int slot = hash(bytes, start, length) & mask;
        byte[] key;
        while ((key = keys[slot]) != null) {
            if (key.length == length
                    && Arrays.equals(key, 0, length, bytes, start, start + length)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (size == MAX_ENTRIES) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            size = 0;
            return intern(bytes, start, length, ascii);
        }
        String value = decode(bytes, start, length, ascii);
        keys[slot] = Arrays.copyOfRange(bytes, start, start + length);
        values[slot] = value;
        size++;
        return value;
    }

    static String decode(byte[] bytes, int start, int length, boolean ascii) {
        return new String(
                bytes, start, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static int hash(byte[] bytes, int start, int length) {
        int h = length;
        for (int i = start; i < start + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 15) ^ (h >>> 7);
    }
}
