package io.github.posthogflink.connector.sink;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzips request bodies at {@link Deflater#BEST_SPEED}: on event JSON it costs a fraction of the
 * default level's CPU for a few percent more bytes (measured on the sink benchmark's bodies: level
 * 1 43.5 B per event, 2 42.1 B, 3 41.2 B, 6 38.1 B at 2.5 times the CPU). Each thread keeps one
 * {@link Deflater}, reset between bodies, instead of allocating zlib's state for every request, and
 * one output buffer, so that a body costs one allocation of its gzipped size.
 */
final class FastGzip {
    private static final byte[] HEADER = {
        0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, -1
    };
    private static final int TRAILER_BYTES = 8;
    private static final ThreadLocal<Deflater> DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));

    private static final ThreadLocal<byte[][]> OUTPUT =
            ThreadLocal.withInitial(() -> new byte[1][]);

    private FastGzip() {}

    static byte[] gzip(byte[] raw) {
        return gzip(raw, raw.length);
    }

    /** Gzips the first {@code length} bytes of {@code raw}. */
    static byte[] gzip(byte[] raw, int length) {
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        deflater.setInput(raw, 0, length);
        deflater.finish();
        byte[][] holder = OUTPUT.get();
        byte[] out = holder[0];
        int needed = HEADER.length + length / 4 + 64;
        if (out == null || out.length < needed) {
            out = new byte[needed];
        }
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        int at = HEADER.length;
        while (!deflater.finished()) {
            if (at == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            at += deflater.deflate(out, at, out.length - at);
        }
        if (at + TRAILER_BYTES > out.length) {
            out = Arrays.copyOf(out, at + TRAILER_BYTES);
        }
        holder[0] = out;
        CRC32 crc = new CRC32();
        crc.update(raw, 0, length);
        at = littleEndian(out, at, (int) crc.getValue());
        at = littleEndian(out, at, length);
        return Arrays.copyOf(out, at);
    }

    private static int littleEndian(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }
}
