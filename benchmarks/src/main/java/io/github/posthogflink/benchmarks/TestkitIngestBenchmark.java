package io.github.posthogflink.benchmarks;

import io.github.posthogflink.testkit.PostHogServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The testkit as a capture endpoint under load, on plain-socket keep-alive clients that cost next
 * to nothing: (1) {@code /batch/} with 2,000-event gzip batches, against the {@link
 * CaptureCountingServer} (Netty, a streaming parser that only counts) in the same run, with the
 * testkit's own CPU per event (its threads' CPU time); (2) a million small requests ({@code
 * /flags?v=2}) on 64 concurrent connections, counting dropped connections on both sides.
 */
final class TestkitIngestBenchmark implements Benchmark {
    private static final String SUITE = "testkit-ingest";
    private static final String API_KEY = "phc_benchmark_project_key";
    private static final int BATCH_EVENTS = 2_000;

    /** Batches per measured run: 200,000 events, forgotten between runs. */
    private static final int BATCHES = Integer.getInteger("testkit.batches", 100);

    private static final int RUNS = 3;
    private static final int SENDERS = 4;
    private static final int CONNECTIONS = 64;
    private static final int REQUESTS = Integer.getInteger("testkit.requests", 1_000_000);

    @Override
    public String name() {
        return SUITE;
    }

    @Override
    public void run(Report report) throws Exception {
        List<byte[]> batches = batches(BATCHES);
        try (PostHogServer testkit =
                        PostHogServer.builder().projectApiKey(API_KEY).build().start();
                CaptureCountingServer counting = new CaptureCountingServer()) {
            ingest(counting.baseUrl(), batches, null);
            ingest(testkit.baseUrl(), batches, testkit);
            testkit.reset();

            Ingest baseline = null;
            Ingest best = null;
            for (int run = 0; run < RUNS; run++) {
                Ingest b = ingest(counting.baseUrl(), batches, null);
                Ingest t = ingest(testkit.baseUrl(), batches, testkit);
                if (testkit.events().size() != BATCHES * BATCH_EVENTS) {
                    throw new IllegalStateException(
                            "the testkit stored " + testkit.events().size() + " events");
                }
                testkit.reset();
                baseline = baseline == null || b.perSecond() > baseline.perSecond() ? b : baseline;
                best = best == null || t.perSecond() > best.perSecond() ? t : best;
            }
            report.figure(
                    SUITE,
                    "counting server, /batch/ 2,000-event gzip",
                    baseline.perSecond(),
                    "events/s");
            report.figure(
                    SUITE,
                    "testkit, /batch/ 2,000-event gzip",
                    best.perSecond(),
                    "events/s (target >= 500k)");
            report.figure(
                    SUITE,
                    "testkit server threads CPU per event",
                    best.serverMicrosPerEvent(),
                    "us");
            report.figure(
                    SUITE,
                    "process CPU per event [testkit run]",
                    best.processMicrosPerEvent(),
                    "us");
            report.figure(
                    SUITE,
                    "process CPU per event [counting run]",
                    baseline.processMicrosPerEvent(),
                    "us");
            report.ratio(
                    SUITE,
                    "testkit / counting server (events/s)",
                    best.perSecond() / baseline.perSecond(),
                    null);

            requests(testkit, report);
        }
    }

    /** One measured ingestion: events, wall time, the testkit threads' and the process's CPU. */
    record Ingest(long events, long nanos, long serverCpuNanos, long processCpuNanos) {
        double perSecond() {
            return events / (nanos / 1e9);
        }

        double serverMicrosPerEvent() {
            return serverCpuNanos / 1e3 / events;
        }

        double processMicrosPerEvent() {
            return processCpuNanos / 1e3 / events;
        }
    }

    private static Ingest ingest(String baseUrl, List<byte[]> batches, PostHogServer testkit)
            throws Exception {
        System.gc();
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long serverCpu = testkitThreadsCpu();
        long processCpu = processCpuNanos();
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
        } finally {
            senders.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        return new Ingest(
                (long) batches.size() * BATCH_EVENTS,
                nanos,
                testkit == null ? 0 : testkitThreadsCpu() - serverCpu,
                processCpuNanos() - processCpu);
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
        Map<String, Long> after = testkit.counters();
        long serverDropped =
                delta(before, after, "transport.connections.dropped")
                        + delta(before, after, "transport.connections.peer_closed_pending");
        String label = String.format("%,d /flags?v=2 on %d connections", REQUESTS, CONNECTIONS);
        report.figure(SUITE, label, REQUESTS / seconds, "requests/s");
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

    /** Distinct 2,000-event batches (distinct uuids, 10,000 persons), gzip, as requests. */
    private static List<byte[]> batches(int count) {
        List<byte[]> requests = new ArrayList<>(count);
        long id = 0;
        for (int b = 0; b < count; b++) {
            StringBuilder json =
                    new StringBuilder(BATCH_EVENTS * 260)
                            .append("{\"api_key\":\"")
                            .append(API_KEY)
                            .append("\",\"batch\":[");
            for (int i = 0; i < BATCH_EVENTS; i++, id++) {
                json.append(i == 0 ? "" : ",")
                        .append("{\"event\":\"")
                        .append(BenchEvents.EVENT)
                        .append("\",\"distinct_id\":\"")
                        .append(BenchEvents.distinctId(id))
                        .append("\",\"uuid\":\"")
                        .append(new UUID(0x0190_0000_0000_7000L | (id >>> 48), id))
                        .append("\",\"timestamp\":\"")
                        .append(BenchEvents.timestamp(id))
                        .append("\",\"properties\":{\"order_id\":")
                        .append(id)
                        .append(",\"amount\":")
                        .append(BenchEvents.amount(id))
                        .append(",\"currency\":\"EUR\",\"plan\":\"")
                        .append(BenchEvents.plan(id))
                        .append("\",\"items\":")
                        .append(BenchEvents.items(id))
                        .append(",\"$lib\":\"posthog-flink\"}}");
            }
            json.append("]}");
            requests.add(
                    RawHttpClient.post(
                            "/batch/",
                            "application/json",
                            true,
                            gzip(json.toString().getBytes(StandardCharsets.UTF_8))));
        }
        return requests;
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the testkit's threads (HTTP event loops and workers), alive now. */
    private static long testkitThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("posthog-testkit-")) {
                long cpu = threads.getThreadCpuTime(thread.getId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }
}
