package io.github.posthogflink.connector.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzips request bodies at {@link Deflater#BEST_SPEED}: on event JSON it costs a fraction of the
 * default level's CPU for a few percent more bytes, and the sink compresses on the task thread.
 */
final class FastGzip {
    private FastGzip() {}

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
        try (GZIPOutputStream gz = new LevelledGzip(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException("gzip failed", e);
        }
        return out.toByteArray();
    }

    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 16 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
