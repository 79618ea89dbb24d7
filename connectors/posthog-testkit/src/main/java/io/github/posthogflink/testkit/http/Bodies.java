package io.github.posthogflink.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            byte[] buffer = new byte[16384];
            long total = 0;
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (total > limit) {
                    throw new TooLargeException();
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }
}
