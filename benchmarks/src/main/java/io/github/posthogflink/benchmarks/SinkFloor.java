package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.sink.PostHogElementConverter;
import io.github.posthogflink.connector.sink.PostHogEvents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The floor of the sink's work: the benchmark's events, with the uuid and {@code $lib} properties
 * the sink sends, serialized with Jackson into {@code /batch/} bodies of {@value #BATCH} events and
 * gzipped at the sink's level ({@link Deflater#BEST_SPEED}), in a tight loop on as many threads as
 * the pipeline has subtasks. No Flink, no HTTP, no server: what it costs to make the bytes.
 */
final class SinkFloor {
    static final int BATCH = 2_000;
    private static final String API_KEY = "phc_benchmark_project_key";

    record Run(long events, long nanos, long cpuNanos, long rawBytes, long wireBytes) {
        double perSecond() {
            return events / (nanos / 1e9);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }
    }

    private SinkFloor() {}

    /** The event as the sink sends it, built as a {@link PostHogEvent} for Jackson. */
    static PostHogEvent event(long id) {
        return PostHogEvents.capture(BenchEvents.EVENT, BenchEvents.distinctId(id))
                .property("order_id", id)
                .property("amount", BenchEvents.amount(id))
                .property("currency", "EUR")
                .property("plan", BenchEvents.plan(id))
                .property("items", BenchEvents.items(id))
                .property("$lib", PostHogElementConverter.LIB)
                .property("$lib_version", PostHogClientVersion.VERSION)
                .timestamp(BenchEvents.timestamp(id))
                .uuid(EventUuids.fromIdentity(BenchEvents.identity(id)))
                .build();
    }

    static Run run(long events, int threads, int level) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long perThread = events / threads;
            long start = System.nanoTime();
            List<Future<long[]>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long from = 1 + t * perThread;
                parts.add(pool.submit(() -> work(from, perThread, level)));
            }
            long cpu = 0;
            long raw = 0;
            long wire = 0;
            for (Future<long[]> part : parts) {
                long[] r = part.get();
                cpu += r[0];
                raw += r[1];
                wire += r[2];
            }
            return new Run(perThread * threads, System.nanoTime() - start, cpu, raw, wire);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns {thread CPU nanos, raw bytes, gzipped bytes}. */
    private static long[] work(long from, long count, int level) throws IOException {
        long cpuStart = Cpu.THREADS.getCurrentThreadCpuTime();
        long raw = 0;
        long wire = 0;
        Deflater deflater = new Deflater(level, true);
        try {
            for (long first = from; first < from + count; first += BATCH) {
                int n = (int) Math.min(BATCH, from + count - first);
                List<PostHogEvent> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(event(first + i));
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("api_key", API_KEY);
                body.put("batch", batch);
                byte[] json = Json.MAPPER.writeValueAsBytes(body);
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4);
                deflater.reset();
                try (OutputStream gzip = new LeveledGzip(out, deflater)) {
                    gzip.write(json);
                }
                raw += json.length;
                wire += out.size();
            }
        } finally {
            deflater.end();
        }
        return new long[] {Cpu.THREADS.getCurrentThreadCpuTime() - cpuStart, raw, wire};
    }

    /** {@link GZIPOutputStream} with a given deflater (and so a given level). */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, Deflater deflater) throws IOException {
            super(out, 64 * 1024);
            def.end();
            def = deflater;
        }

        @Override
        public void close() throws IOException {
            finish();
            out.close();
        }
    }
}
