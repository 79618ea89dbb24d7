package io.github.posthogflink.testkit.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Short byte ranges read by words ({@code long} and {@code int} reads of a {@code byte[]}): their
 * equality with a name, and a hash. (A word-wise scan of string bytes was tried and lost to the
 * table loop of {@link ByteCursor}: capture's strings are short.)
 */
final class ByteWords {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private ByteWords() {}

    static long longAt(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    static int intAt(byte[] bytes, int at) {
        return (int) INTS.get(bytes, at);
    }

    /**
     * Whether {@code b[start, start + length)} equals {@code name} (of that length, at least 4
     * bytes), by words: the last read may overlap the ones before it.
     */
    static boolean equalsName(byte[] name, byte[] b, int start, int length) {
        if (length >= 8) {
            int i = 0;
            for (; i + 8 < length; i += 8) {
                if (longAt(name, i) != longAt(b, start + i)) {
                    return false;
                }
            }
            return longAt(name, length - 8) == longAt(b, start + length - 8);
        }
        if (length >= 4) {
            return intAt(name, 0) == intAt(b, start)
                    && intAt(name, length - 4) == intAt(b, start + length - 4);
        }
        for (int i = 0; i < length; i++) {
            if (name[i] != b[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** A well-mixed hash of {@code b[start, start + length)}, read by words. */
    static int hash(byte[] b, int start, int length) {
        long h = length * GOLDEN;
        int end = start + length;
        if (length >= 8) {
            int i = start;
            for (; i + 8 < end; i += 8) {
                h = (h ^ longAt(b, i)) * GOLDEN;
            }
            h = (h ^ longAt(b, end - 8)) * GOLDEN;
        } else {
            long tail = 0;
            for (int i = start; i < end; i++) {
                tail = tail << 8 | (b[i] & 0xff);
            }
            h = (h ^ tail) * GOLDEN;
        }
        // Murmur3's finalizer, so that every bit of the range reaches the low bits.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
