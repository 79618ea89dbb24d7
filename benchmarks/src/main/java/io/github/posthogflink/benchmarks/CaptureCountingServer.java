package io.github.posthogflink.benchmarks;

import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A loopback capture endpoint: an {@link InstantServer} that also counts what a sink delivers:
 * events (the elements of the {@code batch} array, counted in one pass), requests, bytes on the
 * wire and bytes after gunzip, and when the last event arrived.
 */
final class CaptureCountingServer implements AutoCloseable {
    private static final byte[] BATCH =
            "batch".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Reused for every body; the server has one event-loop thread. */
    private final byte[] buffer = new byte[64 << 10];

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
        CountingStream raw = new CountingStream(gzip ? new GZIPInputStream(body, 64 << 10) : body);
        long n = countBatch(raw);
        raw.skip(Long.MAX_VALUE);
        rawBytes.addAndGet(raw.count);
        if (n > 0) {
            events.addAndGet(n);
            lastEventNanos.set(System.nanoTime());
            lastEventCpuNanos.set(Cpu.processNanos());
        }
    }

    /**
     * The elements of the {@code batch} array of a {@code /batch/} body, found by one pass over the
     * bytes that tracks strings and nesting: PostHog parses the body, this stand-in only counts, so
     * that the benchmark measures the sink rather than a JSON parser.
     */
    private long countBatch(InputStream body) throws IOException {
        byte[] chunk = buffer;
        long count = 0;
        int depth = 0;
        int batchDepth = -1;
        boolean inString = false;
        boolean escaped = false;
        int keyMatched = 0; // bytes of "batch" matched in the current string at depth 1
        boolean batchKey = false;
        for (int read = body.read(chunk); read > 0; read = body.read(chunk)) {
            for (int i = 0; i < read; i++) {
                byte b = chunk[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                        batchKey = depth == 1 && keyMatched == BATCH.length;
                    } else if (keyMatched >= 0) {
                        keyMatched =
                                keyMatched < BATCH.length && BATCH[keyMatched] == b
                                        ? keyMatched + 1
                                        : -1;
                    }
                    continue;
                }
                switch (b) {
                    case '"' -> {
                        inString = true;
                        keyMatched = 0;
                    }
                    case '[' -> {
                        if (depth == 1 && batchKey) {
                            batchDepth = depth + 1;
                        }
                        depth++;
                    }
                    case '{' -> {
                        if (depth == batchDepth) {
                            count++;
                        }
                        depth++;
                    }
                    case '}', ']' -> {
                        depth--;
                        if (depth < batchDepth) {
                            batchDepth = -1;
                        }
                    }
                    case ',' -> batchKey = false;
                    default -> {}
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
