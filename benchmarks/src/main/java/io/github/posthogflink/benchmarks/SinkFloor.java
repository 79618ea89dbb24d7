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
 * gzipped at the sink's level ({@link Deflater#BEST_SPEED}, or another {@link Gzip} to show the
 * trade-off between CPU and bytes on the wire), in a tight loop on as many threads as the pipeline
 * has subtasks. No Flink, no HTTP, no server: what it costs to make the bytes.
 */
final class SinkFloor {
    static final int BATCH = 2_000;
    private static final String API_KEY = "phc_benchmark_project_key";

    /** How the floor compresses its bodies: a deflate level and strategy, or no gzip at all. */
    record Gzip(String name, int level, int strategy) {
        static final Gzip LEVEL_1 =
                new Gzip("gzip 1", Deflater.BEST_SPEED, Deflater.DEFAULT_STRATEGY);
        static final Gzip HUFFMAN_ONLY =
                new Gzip("gzip Huffman only", Deflater.BEST_SPEED, Deflater.HUFFMAN_ONLY);
        static final Gzip LEVEL_6 =
                new Gzip("gzip 6", Deflater.DEFAULT_COMPRESSION, Deflater.DEFAULT_STRATEGY);
        static final Gzip NONE = new Gzip("no gzip", Deflater.NO_COMPRESSION, -1);

        boolean enabled() {
            return strategy >= 0;
        }
    }

    /**
     * One run: {@code cpuNanos} sums the working threads' CPU only (no GC, no JIT); {@code
     * processCpuNanos} is the whole process's CPU over the run, as the sink's figures are; {@code
     * allocatedBytes} what the working threads allocated.
     */
    record Run(
            long events,
            long nanos,
            long cpuNanos,
            long processCpuNanos,
            long allocatedBytes,
            long rawBytes,
            long wireBytes) {
        double perSecond() {
            return events / (nanos / 1e9);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }

        double processCpuMicrosPerEvent() {
            return processCpuNanos / 1e3 / events;
        }

        double allocatedBytesPerEvent() {
            return (double) allocatedBytes / events;
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

    /**
     * The floor at the sink's gzip level and, for the trade-off, at others and without gzip. Every
     * variant is warmed up before any is measured, and the sink's level is measured last, so that
     * no variant pays for the JIT compiling the shared code.
     */
    static Map<Gzip, Run> runAll(long events, long warmUp, int threads) throws Exception {
        List<Gzip> variants = List.of(Gzip.HUFFMAN_ONLY, Gzip.LEVEL_6, Gzip.NONE, Gzip.LEVEL_1);
        for (Gzip gzip : variants) {
            run(warmUp, threads, gzip);
        }
        Map<Gzip, Run> floors = new java.util.LinkedHashMap<>();
        for (Gzip gzip : variants) {
            floors.put(gzip, run(events, threads, gzip));
        }
        return floors;
    }

    static void print(Report report, String suite, Map<Gzip, Run> floors) {
        floors.forEach(
                (gzip, floor) -> {
                    String side = "floor (Jackson, " + gzip.name() + ")";
                    report.figure(suite, side + ": events/s", floor.perSecond(), "ev/s");
                    report.figure(
                            suite,
                            side + ": thread CPU per event",
                            floor.cpuMicrosPerEvent(),
                            "us");
                    report.figure(
                            suite,
                            side + ": process CPU per event",
                            floor.processCpuMicrosPerEvent(),
                            "us");
                    report.figure(
                            suite,
                            side + ": allocated per event",
                            floor.allocatedBytesPerEvent(),
                            "B");
                    report.figure(
                            suite,
                            side + ": wire bytes/event",
                            (double) floor.wireBytes() / floor.events(),
                            "B");
                });
        Run any = floors.values().iterator().next();
        report.figure(suite, "floor: raw bytes/event", (double) any.rawBytes() / any.events(), "B");
    }

    static Run run(long events, int threads, Gzip gzip) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // Threads started before the clock, so that the process CPU counts only the work.
            List<Future<?>> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                started.add(pool.submit(() -> {}));
            }
            for (Future<?> f : started) {
                f.get();
            }
            long perThread = events / threads;
            long processCpu = Cpu.processNanos();
            long start = System.nanoTime();
            List<Future<long[]>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long from = 1 + t * perThread;
                parts.add(pool.submit(() -> work(from, perThread, gzip)));
            }
            long cpu = 0;
            long allocated = 0;
            long raw = 0;
            long wire = 0;
            for (Future<long[]> part : parts) {
                long[] r = part.get();
                cpu += r[0];
                allocated += r[1];
                raw += r[2];
                wire += r[3];
            }
            long nanos = System.nanoTime() - start;
            return new Run(
                    perThread * threads,
                    nanos,
                    cpu,
                    Cpu.processNanos() - processCpu,
                    allocated,
                    raw,
                    wire);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns {thread CPU nanos, bytes allocated, raw bytes, gzipped bytes}. */
    private static long[] work(long from, long count, Gzip gzip) throws IOException {
        long cpuStart = Cpu.THREADS.getCurrentThreadCpuTime();
        long allocatedStart = allocatedBytes();
        long raw = 0;
        long wire = 0;
        Deflater deflater = new Deflater(gzip.level(), true);
        if (gzip.enabled()) {
            deflater.setStrategy(gzip.strategy());
        }
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
                raw += json.length;
                if (!gzip.enabled()) {
                    wire += json.length;
                    continue;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4);
                deflater.reset();
                try (OutputStream gzipped = new LeveledGzip(out, deflater)) {
                    gzipped.write(json);
                }
                wire += out.size();
            }
        } finally {
            deflater.end();
        }
        return new long[] {
            Cpu.THREADS.getCurrentThreadCpuTime() - cpuStart,
            allocatedBytes() - allocatedStart,
            raw,
            wire
        };
    }

    /** Bytes the current thread has allocated so far (HotSpot's counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) Cpu.THREADS).getCurrentThreadAllocatedBytes();
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
