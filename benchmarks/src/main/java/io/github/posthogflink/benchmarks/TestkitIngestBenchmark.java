package io.github.posthogflink.benchmarks;

import io.github.posthogflink.testkit.PostHogServer;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The testkit as a capture endpoint under load, on plain-socket keep-alive clients that cost next
 * to nothing: (1) {@code /batch/} with 2,000-event gzip batches shaped as the sink sends them
 * ({@link SinkShapedBatches}), against the {@link CaptureCountingServer} (Netty, a streaming parser
 * that only counts) in the same run, with the CPU per event of the server's own threads
 * (ThreadMXBean), of the process, and of its garbage collector, JIT and load-generator threads
 * ({@link ThreadCpu}), and the heap each stored event keeps; (2) a million small requests ({@code
 * /flags?v=2}) on 64 concurrent connections, counting dropped connections on both sides.
 *
 * <p>Every event of a run has its own uuid; the bodies are sent again in each run, after a reset,
 * so no run meets a duplicate.
 */
final class TestkitIngestBenchmark implements Benchmark {
    private static final String SUITE = "testkit-ingest";
    private static final String API_KEY = "phc_benchmark_project_key";
    private static final int BATCH_EVENTS = 2_000;

    /** Batches per measured run: 200,000 events, forgotten between runs. */
    private static final int BATCHES = Integer.getInteger("testkit.batches", 100);

    private static final int RUNS = Integer.getInteger("testkit.runs", 3);

    /**
     * Runs before the measured ones, so that they measure compiled code, not the JIT: with 3, the
     * JIT was still compiling the testkit's capture path in the measured runs (0.3 us of CPU per
     * event).
     */
    private static final int WARM_UP_RUNS = Integer.getInteger("testkit.warmups", 10);

    private static final int SENDERS = 4;
    private static final int CONNECTIONS = 64;
    private static final int REQUESTS = Integer.getInteger("testkit.requests", 1_000_000);

    /** The request journal's default byte bound ({@code TestkitConfig}). */
    private static final long JOURNAL_BYTES = 64L << 20;

    @Override
    public String name() {
        return SUITE;
    }

    @Override
    public void run(Report report) throws Exception {
        SinkShapedBatches batches = new SinkShapedBatches(API_KEY, BATCHES, BATCH_EVENTS);
        long events = (long) BATCHES * BATCH_EVENTS;
        try (PostHogServer testkit =
                        PostHogServer.builder().projectApiKey(API_KEY).build().start();
                CaptureCountingServer counting = new CaptureCountingServer()) {
            for (int warmUp = 0; warmUp < WARM_UP_RUNS; warmUp++) {
                ingest(counting.baseUrl(), batches.requests(), "nioEventLoopGroup");
                ingest(testkit.baseUrl(), batches.requests(), "posthog-testkit-");
                testkit.reset();
            }

            List<Ingest> baseline = new ArrayList<>();
            List<Ingest> measured = new ArrayList<>();
            long retained = 0;
            for (int run = 0; run < RUNS; run++) {
                baseline.add(ingest(counting.baseUrl(), batches.requests(), "nioEventLoopGroup"));
                measured.add(ingest(testkit.baseUrl(), batches.requests(), "posthog-testkit-"));
                long stored = testkit.counters().getOrDefault("events.raw", 0L);
                if (stored != events) {
                    throw new IllegalStateException("the testkit stored " + stored + " events");
                }
                long full = heapAfterGc();
                testkit.reset();
                retained = full - heapAfterGc();
            }
            Ingest b = best(baseline, Ingest::perSecond);
            Ingest t = best(measured, Ingest::perSecond);
            report.figure(
                    SUITE, "counting server, /batch/ 2,000-event gzip", b.perSecond(), "events/s");
            report.figure(
                    SUITE,
                    "testkit, /batch/ 2,000-event gzip",
                    t.perSecond(),
                    "events/s (target >= 500k)");
            report.ratio(
                    SUITE,
                    "testkit / counting server (events/s)",
                    t.perSecond() / b.perSecond(),
                    null);
            cpuFigures(report, "testkit", measured);
            cpuFigures(report, "counting", baseline);
            report.figure(
                    SUITE,
                    "heap kept per stored event (all stores)",
                    retained / (double) events,
                    "bytes");
            report.figure(
                    SUITE,
                    "  of which the request journal (gzip bodies)",
                    Math.min(batches.gzipBytes(), JOURNAL_BYTES) / (double) events,
                    "bytes");
            report.figure(
                    SUITE, "event JSON as sent", batches.rawBytes() / (double) events, "bytes");

            requests(testkit, report);
        }
    }

    /** CPU figures of a series of runs: the lowest per-event cost of each kind (same work). */
    private static void cpuFigures(Report report, String side, List<Ingest> runs) {
        String run = " [" + side + " run, best of " + runs.size() + "]";
        report.figure(
                SUITE,
                side + " server threads CPU per event" + run,
                min(runs, Ingest::serverMicrosPerEvent),
                "us (ThreadMXBean)");
        report.figure(
                SUITE,
                "process CPU per event" + run,
                min(runs, Ingest::processMicrosPerEvent),
                side.equals("testkit") ? "us (target <= 4 on 2 cores)" : "us");
        if (runs.get(0).byKind() != null) {
            report.figure(
                    SUITE,
                    "  GC threads CPU per event" + run,
                    min(runs, r -> r.kindMicrosPerEvent(ThreadCpu.Kind.GC)),
                    "us");
            report.figure(
                    SUITE,
                    "  JIT threads CPU per event" + run,
                    min(runs, r -> r.kindMicrosPerEvent(ThreadCpu.Kind.JIT)),
                    "us");
            report.figure(
                    SUITE,
                    "  load generator CPU per event" + run,
                    min(runs, r -> r.kindMicrosPerEvent(ThreadCpu.Kind.LOAD)),
                    "us");
            report.figure(
                    SUITE,
                    "  GC share of process CPU" + run,
                    min(runs, Ingest::gcShare) * 100,
                    "%");
        }
        report.figure(
                SUITE,
                "  GC pauses per 1,000 events" + run,
                min(runs, r -> r.gcPauseMillis() * 1000.0 / r.events()),
                "ms");
    }

    /**
     * One measured ingestion: events, wall time, the server's threads' CPU, the process's, its
     * threads' by kind ({@code null} without {@code /proc}), and garbage-collection pauses.
     */
    record Ingest(
            long events,
            long nanos,
            long serverCpuNanos,
            long processCpuNanos,
            Map<ThreadCpu.Kind, Long> byKind,
            long gcPauseMillis) {
        double perSecond() {
            return events / (nanos / 1e9);
        }

        double serverMicrosPerEvent() {
            return serverCpuNanos / 1e3 / events;
        }

        double processMicrosPerEvent() {
            return processCpuNanos / 1e3 / events;
        }

        double kindMicrosPerEvent(ThreadCpu.Kind kind) {
            return byKind.getOrDefault(kind, 0L) / 1e3 / events;
        }

        double gcShare() {
            return byKind.getOrDefault(ThreadCpu.Kind.GC, 0L) / (double) processCpuNanos;
        }
    }

    private static Ingest ingest(String baseUrl, List<byte[]> batches, String serverThreads)
            throws Exception {
        System.gc();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threadIds = new AtomicInteger();
        ExecutorService senders =
                Executors.newFixedThreadPool(
                        SENDERS,
                        r -> {
                            Thread thread =
                                    new Thread(
                                            r, ThreadCpu.LOAD_PREFIX + threadIds.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
        long serverCpu = threadsCpu(serverThreads);
        long processCpu = ThreadCpu.processNanos();
        ThreadCpu threads = ThreadCpu.snapshot();
        long gcPauses = gcMillis();
        long start = System.nanoTime();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                results.add(
                        senders.submit(
                                () -> {
                                    long failures = 0;
                                    try (RawHttpClient client = new RawHttpClient(baseUrl)) {
                                        for (int i = next.getAndIncrement();
                                                i < batches.size();
                                                i = next.getAndIncrement()) {
                                            if (client.send(batches.get(i)) != 200) {
                                                failures++;
                                            }
                                        }
                                    }
                                    return failures;
                                }));
            }
            for (Future<Long> result : results) {
                if (result.get() != 0) {
                    throw new IllegalStateException(result.get() + " batches failed");
                }
            }
            long nanos = System.nanoTime() - start;
            ThreadCpu after = ThreadCpu.snapshot();
            if (Boolean.getBoolean("testkit.threads")) {
                System.out.print(after.byName(threads, (long) batches.size() * BATCH_EVENTS));
            }
            Map<ThreadCpu.Kind, Long> byKind = null;
            if (after.available()) {
                byKind = new java.util.EnumMap<>(ThreadCpu.Kind.class);
                for (ThreadCpu.Kind kind : ThreadCpu.Kind.values()) {
                    byKind.put(kind, after.since(threads, kind));
                }
            }
            return new Ingest(
                    (long) batches.size() * BATCH_EVENTS,
                    nanos,
                    threadsCpu(serverThreads) - serverCpu,
                    ThreadCpu.processNanos() - processCpu,
                    byKind,
                    gcMillis() - gcPauses);
        } finally {
            senders.shutdownNow();
        }
    }

    private static Ingest best(List<Ingest> runs, ToDoubleFunction<Ingest> figure) {
        return runs.stream().max(Comparator.comparingDouble(figure)).orElseThrow();
    }

    private static double min(List<Ingest> runs, ToDoubleFunction<Ingest> figure) {
        return runs.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    /** A million small requests on 64 connections: dropped connections seen by either side. */
    private static void requests(PostHogServer testkit, Report report) throws Exception {
        byte[] flags =
                RawHttpClient.post(
                        "/flags?v=2",
                        "application/json",
                        false,
                        ("{\"api_key\":\"" + API_KEY + "\",\"distinct_id\":\"user-1\"}")
                                .getBytes(StandardCharsets.UTF_8));
        Map<String, Long> before = testkit.counters();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        long start = System.nanoTime();
        long processCpu = ThreadCpu.processNanos();
        long serverCpu = threadsCpu("posthog-testkit-");
        long dropped = 0;
        long failed = 0;
        long connections = 0;
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                results.add(
                        clients.submit(
                                () -> {
                                    long errors = 0;
                                    try (RawHttpClient client =
                                            new RawHttpClient(testkit.baseUrl())) {
                                        while (next.getAndIncrement() < REQUESTS) {
                                            int status = client.send(flags);
                                            if (status != 200 && status != -1) {
                                                errors++;
                                            }
                                        }
                                        return new long[] {
                                            client.dropped, errors, client.connections
                                        };
                                    }
                                }));
            }
            for (Future<long[]> result : results) {
                long[] counts = result.get();
                dropped += counts[0];
                failed += counts[1];
                connections += counts[2];
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long serverNanos = threadsCpu("posthog-testkit-") - serverCpu;
        long processNanos = ThreadCpu.processNanos() - processCpu;
        Map<String, Long> after = testkit.counters();
        long serverDropped =
                delta(before, after, "transport.connections.dropped")
                        + delta(before, after, "transport.connections.peer_closed_pending");
        String label = String.format("%,d /flags?v=2 on %d connections", REQUESTS, CONNECTIONS);
        report.figure(SUITE, label, REQUESTS / seconds, "requests/s");
        report.figure(
                SUITE, "  testkit threads CPU per request", serverNanos / 1e3 / REQUESTS, "us");
        report.figure(SUITE, "  process CPU per request", processNanos / 1e3 / REQUESTS, "us");
        report.figure(SUITE, "dropped connections seen by the clients", dropped, "(target 0)");
        report.figure(SUITE, "dropped connections seen by the server", serverDropped, "(target 0)");
        report.figure(SUITE, "non-200 answers", failed, "");
        report.figure(SUITE, "connections opened (clients)", connections, "");
        report.figure(
                SUITE,
                "connections opened (server)",
                delta(before, after, "transport.connections.opened"),
                "");
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** CPU time of the live threads whose names start with {@code prefix}. */
    private static long threadsCpu(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }
}
