package io.github.posthogflink.testkit.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Decodes request bodies: gzip by magic bytes, {@code Content-Encoding} or {@code compression}. */
public final class Bodies {
    private Bodies() {}

    /** The body is larger than allowed once decompressed. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLargeException() {
            super("payload too large");
        }
    }

    public static boolean isGzip(byte[] body) {
        return body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
    }

    /** Whether the request says or shows that its body is gzip. */
    public static boolean gzipRequested(Request request) {
        String encoding = request.header("content-encoding");
        String compression = request.queryParam("compression");
        return isGzip(request.body())
                || (encoding != null && encoding.toLowerCase().contains("gzip"))
                || "gzip".equalsIgnoreCase(compression)
                || "gzip-js".equalsIgnoreCase(compression);
    }

    /** The decoded body, at most {@code limit} bytes. */
    public static byte[] decode(Request request, long limit) throws IOException {
        byte[] body = request.body();
        if (gzipRequested(request) && isGzip(body)) {
            return gunzip(body, limit);
        }
        if (body.length > limit) {
            throw new TooLargeException();
        }
        return body;
    }

    /** The first {@code length} bytes of {@code bytes}. */
    public record Decoded(byte[] bytes, int length) {}

    /** Inflated bodies up to this size reuse their thread's buffer. */
    private static final int REUSED_BYTES = 4 << 20;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * As {@link #decode}, but a gzip body is inflated into a buffer that the calling thread reuses
     * (bodies up to 4 MiB): the bytes are valid until the thread's next call, so the caller copies
     * what it keeps. A large batch then costs no new array of its size (of half a G1 region or
     * more, a humongous object).
     */
    public static Decoded decodeReusing(Request request, long limit) throws IOException {
        byte[] body = request.body();
        if (!(gzipRequested(request) && isGzip(body))) {
            if (body.length > limit) {
                throw new TooLargeException();
            }
            return new Decoded(body, body.length);
        }
        int expected = Math.max(trailerSize(body), 1024);
        byte[] buffer = BUFFER.get();
        if (expected <= REUSED_BYTES && buffer.length < expected) {
            buffer = new byte[Math.max(expected, Math.min(2 * buffer.length, REUSED_BYTES))];
            BUFFER.set(buffer);
        }
        Decoded decoded = gunzip(body, limit, expected <= buffer.length ? buffer : null);
        if (decoded.bytes() != buffer && decoded.bytes().length <= REUSED_BYTES) {
            BUFFER.set(decoded.bytes());
        }
        return decoded;
    }

    /** Decoded for inspection: gunzipped when it is gzip, else as sent. */
    public static byte[] decodeLeniently(byte[] body) {
        if (!isGzip(body)) {
            return body;
        }
        try {
            return gunzip(body, 64L * 1024 * 1024);
        } catch (IOException e) {
            return body;
        }
    }

    private static byte[] gunzip(byte[] body, long limit) throws IOException {
        Decoded decoded = gunzip(body, limit, null);
        byte[] out = decoded.bytes();
        return decoded.length() == out.length ? out : Arrays.copyOf(out, decoded.length());
    }

    /** Inflates into {@code into} (grown when too small), or a new buffer when it is null. */
    private static Decoded gunzip(byte[] body, long limit, byte[] into) throws IOException {
        // The trailer's ISIZE (the size mod 2^32) sizes the buffer, so that a batch is inflated in
        // place instead of through a growing stream and a final copy; the limit still holds.
        int expected = trailerSize(body);
        byte[] out =
                into != null
                        ? into
                        : new byte
                                [(int)
                                        Math.min(
                                                Math.max(expected, 1024),
                                                Math.min(limit + 1, MAX_ARRAY))];
        int total = 0;
        try (InputStream in =
                new GZIPInputStream(new java.io.ByteArrayInputStream(body), 16 * 1024)) {
            while (true) {
                if (total == out.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (total + 1L > limit || out.length >= MAX_ARRAY) {
                        throw new TooLargeException();
                    }
                    out =
                            Arrays.copyOf(
                                    out,
                                    (int) Math.min(Math.max(1024L, 2L * out.length), MAX_ARRAY));
                    out[total++] = (byte) next;
                    continue;
                }
                int read = in.read(out, total, out.length - total);
                if (read < 0) {
                    break;
                }
                total += read;
                if (total > limit) {
                    throw new TooLargeException();
                }
            }
        }
        return new Decoded(out, total);
    }

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** The uncompressed size a single-member gzip declares in its last four bytes, or 0. */
    private static int trailerSize(byte[] body) {
        if (body.length < 18) {
            return 0;
        }
        int n = body.length;
        int size =
                (body[n - 4] & 0xff)
                        | (body[n - 3] & 0xff) << 8
                        | (body[n - 2] & 0xff) << 16
                        | (body[n - 1] & 0xff) << 24;
        return Math.max(size, 0);
    }
}
