package io.github.posthogflink.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A loopback capture endpoint: an {@link InstantServer} that also counts what a sink delivers:
 * events (the elements of the {@code batch} array, read with a streaming parser), requests, bytes
 * on the wire and bytes after gunzip, and when the last event arrived.
 */
final class CaptureCountingServer implements AutoCloseable {
    private static final JsonFactory JSON =
            new JsonFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private final InstantServer server;
    final AtomicLong events = new AtomicLong();
    final AtomicLong rawBytes = new AtomicLong();
    final AtomicLong lastEventNanos = new AtomicLong();

    /** Process CPU time when the last event arrived. */
    final AtomicLong lastEventCpuNanos = new AtomicLong();

    private volatile long serverThreadId = -1;

    CaptureCountingServer() throws InterruptedException {
        this(ServerFaults.NONE);
    }

    CaptureCountingServer(ServerFaults faults) throws InterruptedException {
        server = new InstantServer(this::count, faults);
    }

    long requests() {
        return server.requests.get();
    }

    /** CPU time of the server's event-loop thread so far (decoding, gunzip, counting). */
    long serverCpuNanos() {
        long id = serverThreadId;
        return id < 0 ? 0 : Cpu.THREADS.getThreadCpuTime(id);
    }

    String baseUrl() {
        return server.baseUrl();
    }

    long wireBytes() {
        return server.bodyBytes.get();
    }

    void reset() {
        server.requests.set(0);
        server.bodyBytes.set(0);
        events.set(0);
        rawBytes.set(0);
        lastEventNanos.set(0);
        lastEventCpuNanos.set(0);
    }

    @Override
    public void close() {
        server.close();
    }

    private void count(FullHttpRequest request) throws IOException {
        serverThreadId = Thread.currentThread().getId();
        boolean gzip = "gzip".equalsIgnoreCase(request.headers().get("Content-Encoding"));
        InputStream body = new ByteBufInputStream(request.content().duplicate());
        CountingStream raw = new CountingStream(gzip ? new GZIPInputStream(body) : body);
        long n = countBatch(raw);
        raw.skip(Long.MAX_VALUE);
        rawBytes.addAndGet(raw.count);
        if (n > 0) {
            events.addAndGet(n);
            lastEventNanos.set(System.nanoTime());
            lastEventCpuNanos.set(Cpu.processNanos());
        }
    }

    private static long countBatch(InputStream body) throws IOException {
        long count = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("batch".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        count++;
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return count;
    }

    /** Counts the bytes that pass through (after gunzip). */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
