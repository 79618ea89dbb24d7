package io.github.posthogflink.benchmarks;

import io.github.posthogflink.connector.sink.PostHogEventConverters;
import io.github.posthogflink.connector.sink.PostHogSink;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The PostHog sink against PostHog's JVM SDK in a Sink V2 writer, and against a sink that discards
 * the same events: the same pipeline ({@code fromSequence} → map → sink, parallelism {@value
 * #PARALLELISM}, checkpoints every second) in a local environment, each side warmed up and measured
 * in a JVM of its own ({@link SinkSides}) against its own loopback server; the floor ({@link
 * SinkFloor}) in this one. {@code -Dsink.quick=true} measures the floor and the PostHog sink only,
 * both in this JVM. Throughput counts events the server received, from the pipeline's first element
 * to the last event received (for the no-op sink: to the last event discarded), so job start-up and
 * teardown are left out on every side.
 */
final class SinkBenchmark implements Benchmark {
    private static final String SUITE = "sink";

    /** Events per measured run against the counting server ({@code -Dsink.events=N}). */
    private static final int EVENTS = Integer.getInteger("sink.events", 1_000_000);

    /** Events per run against the testkit, which stores and deduplicates every event. */
    static final int TESTKIT_EVENTS = 200_000;

    static final int WARM_UP_EVENTS = 50_000;

    /** The PostHog sink's warm-up: enough for its hot paths to be compiled before measuring. */
    static final int SINK_WARM_UP_EVENTS = 300_000;

    private static final int PARALLELISM = 2;
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration MAX_DRAIN = Duration.ofSeconds(30);
    private static final PostHogSdkSink.Tuning SDK_TUNED =
            new PostHogSdkSink.Tuning(500, 500, 100_000);

    static final String API_KEY = "phc_benchmark_project_key";

    @Override
    public String name() {
        return SUITE;
    }

    /**
     * One measured run: events the server received, the time they took, and the CPU the whole
     * process spent on the run (the pipeline, the sink's threads and the loopback server).
     */
    record Run(
            long sent,
            long received,
            long nanos,
            long wireBytes,
            long rawBytes,
            long cpuNanos,
            long windowCpuNanos,
            long serverCpuNanos,
            Map<String, Long> threadCpuNanos,
            Map<String, Long> allocatedBytes) {
        double perSecond() {
            return received / (nanos / 1e9);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / Math.max(1, received);
        }

        /**
         * From the first element to the last event received: job start-up and teardown left out.
         */
        double windowCpuMicrosPerEvent() {
            return windowCpuNanos / 1e3 / Math.max(1, received);
        }

        double serverCpuMicrosPerEvent() {
            return serverCpuNanos / 1e3 / Math.max(1, received);
        }

        /** The window's process CPU without the counting server's thread. */
        double sinkCpuMicrosPerEvent() {
            return windowCpuMicrosPerEvent() - serverCpuMicrosPerEvent();
        }
    }

    static long processCpuNanos() {
        return Cpu.processNanos();
    }

    /** Marks the pipeline's first element (chained before the sink). */
    static final class MarkFirst implements MapFunction<Long, Long> {
        @Override
        public Long map(Long id) {
            BenchEvents.markFirstElement();
            return id;
        }
    }

    @Override
    public void run(Report report) throws Exception {
        if (Boolean.getBoolean("sink.quick")) {
            try (CaptureCountingServer instant = new CaptureCountingServer()) {
                String url = instant.baseUrl();
                runJob(postHogSink(url), SINK_WARM_UP_EVENTS);
                drain(instant, SINK_WARM_UP_EVENTS);
                Map<SinkFloor.Gzip, SinkFloor.Run> floors =
                        SinkFloor.runAll(EVENTS, WARM_UP_EVENTS * 4L, PARALLELISM);
                Run sink = measure(postHogSink(url), instant);
                SinkFloor.print(report, SUITE, floors);
                print(report, "PostHogSink", sink, true);
                floorRatios(report, sink, floors.get(SinkFloor.Gzip.LEVEL_1));
            }
            return;
        }
        // each side warmed up and measured in a JVM of its own
        Map<SinkFloor.Gzip, SinkFloor.Run> floors =
                SinkFloor.runAll(EVENTS, WARM_UP_EVENTS * 4L, PARALLELISM);
        SinkFloor.Run floor = floors.get(SinkFloor.Gzip.LEVEL_1);
        Run noop = SinkSides.fork(SinkSides.Side.NO_OP);
        Run sink = SinkSides.fork(SinkSides.Side.POSTHOG_SINK);
        Run sinkPlain = SinkSides.fork(SinkSides.Side.POSTHOG_SINK_WITHOUT_GZIP);
        Run sdkDefaults = SinkSides.fork(SinkSides.Side.SDK_DEFAULTS);
        Run sdkTuned = SinkSides.fork(SinkSides.Side.SDK_TUNED);
        Run sinkTk = SinkSides.fork(SinkSides.Side.POSTHOG_SINK_ON_TESTKIT);
        Run sdkDefaultsTk = SinkSides.fork(SinkSides.Side.SDK_DEFAULTS_ON_TESTKIT);

        SinkFloor.print(report, SUITE, floors);
        print(report, "no-op sink (events built, discarded)", noop, false);
        print(report, "PostHogSink [counting server]", sink, true);
        print(report, "PostHogSink without gzip [counting server]", sinkPlain, true);
        print(report, "SDK defaults [counting server]", sdkDefaults, true);
        print(report, "SDK batch/flushAt 500 queue 100k [counting]", sdkTuned, true);
        print(report, "PostHogSink [testkit]", sinkTk, false);
        print(report, "SDK defaults [testkit]", sdkDefaultsTk, false);

        report.ratio(
                SUITE,
                "PostHogSink / SDK defaults [counting]",
                sink.perSecond() / sdkDefaults.perSecond(),
                ">= 5");
        report.ratio(
                SUITE,
                "PostHogSink / SDK tuned [counting]",
                sink.perSecond() / sdkTuned.perSecond(),
                null);
        report.ratio(
                SUITE,
                "PostHogSink / SDK defaults [testkit]",
                sinkTk.perSecond() / sdkDefaultsTk.perSecond(),
                ">= 5");
        floorRatios(report, sink, floor);
        report.ratio(
                SUITE,
                "PostHogSink / no-op sink [counting]",
                sink.perSecond() / noop.perSecond(),
                ">= 0.5");
        report.ratio(
                SUITE,
                "PostHogSink without gzip / no-op sink [counting]",
                sinkPlain.perSecond() / noop.perSecond(),
                null);
        report.ratio(
                SUITE,
                "PostHogSink / no-op sink [testkit]",
                sinkTk.perSecond() / noop.perSecond(),
                null);
    }

    static PostHogSink<Long> postHogSink(String url) {
        return postHogSink(url, true);
    }

    /** PostHog's JVM SDK in a Sink V2 writer: its defaults, or tuned for throughput. */
    static PostHogSdkSink sdkSink(String url, boolean tuned) {
        return new PostHogSdkSink(url, API_KEY, tuned ? SDK_TUNED : null);
    }

    static PostHogSink<Long> postHogSink(String url, boolean gzip) {
        PostHogSinkBuilder<Long> builder =
                PostHogSink.<Long>builder()
                        .setHost(url)
                        .setGzip(gzip)
                        .setProjectApiKey(API_KEY)
                        .setConverter(PostHogEventConverters.of(BenchEvents::event))
                        .setEventIdentity(BenchEvents::identity);
        if (Integer.getInteger("sink.inflight") != null) {
            builder.setMaxInFlightRequests(Integer.getInteger("sink.inflight"));
        }
        if (Integer.getInteger("sink.batch") != null) {
            builder.setMaxBatchSize(Integer.getInteger("sink.batch"));
        }
        return builder.build();
    }

    /**
     * Like with like: the floor's process CPU against the sink's process CPU (with and without the
     * counting server, which the floor does not have), and the floor's thread CPU (no GC, no JIT)
     * against the sink's task and HTTP client threads.
     */
    private static void floorRatios(Report report, Run sink, SinkFloor.Run floor) {
        report.ratio(
                SUITE,
                "PostHogSink / floor [events/s]",
                sink.perSecond() / floor.perSecond(),
                ">= 0.5");
        report.ratio(
                SUITE,
                "PostHogSink / floor [CPU: floor process us / sink us]",
                floor.processCpuMicrosPerEvent() / sink.windowCpuMicrosPerEvent(),
                ">= 0.5");
        report.ratio(
                SUITE,
                "PostHogSink without the server / floor [process CPU]",
                floor.processCpuMicrosPerEvent() / sink.sinkCpuMicrosPerEvent(),
                null);
        long sinkThreads =
                sink.threadCpuNanos().getOrDefault("task threads", 0L)
                        + sink.threadCpuNanos().getOrDefault("sink HTTP client", 0L);
        report.ratio(
                SUITE,
                "PostHogSink task+client threads / floor [thread CPU]",
                floor.cpuMicrosPerEvent() / (sinkThreads / 1e3 / Math.max(1, sink.received())),
                null);
    }

    private static void print(Report report, String side, Run run, boolean bytes) {
        report.figure(SUITE, side + ": events/s", run.perSecond(), "ev/s");
        report.figure(
                SUITE, side + ": process CPU per event, whole job", run.cpuMicrosPerEvent(), "us");
        if (run.windowCpuNanos() > 0) {
            report.figure(
                    SUITE,
                    side + ": process CPU per event, 1st to last event",
                    run.windowCpuMicrosPerEvent(),
                    "us (target <= 2.0)");
            report.figure(
                    SUITE,
                    side + ": of which the counting server",
                    run.serverCpuMicrosPerEvent(),
                    "us");
            report.figure(
                    SUITE,
                    side + ": process CPU per event without the server",
                    run.sinkCpuMicrosPerEvent(),
                    "us");
            long javaThreads = 0;
            for (Map.Entry<String, Long> group : run.threadCpuNanos().entrySet()) {
                javaThreads += group.getValue();
                report.figure(
                        SUITE,
                        side + ": whole job, " + group.getKey(),
                        group.getValue() / 1e3 / run.received(),
                        "us/event");
            }
            report.figure(
                    SUITE,
                    side + ": whole job, JVM (JIT, GC) and ended threads",
                    (run.cpuNanos() - javaThreads) / 1e3 / run.received(),
                    "us/event");
            run.allocatedBytes()
                    .forEach(
                            (group, allocated) ->
                                    report.figure(
                                            SUITE,
                                            side + ": allocated per event, " + group,
                                            (double) allocated / run.received(),
                                            "B"));
        }
        if (run.sent() != run.received() || run.received() == 0 || bytes) {
            report.figure(
                    SUITE,
                    side + ": received / sent",
                    100.0 * run.received() / run.sent(),
                    "% of " + run.sent());
        }
        if (bytes && run.received() > 0) {
            report.figure(
                    SUITE,
                    side + ": wire bytes/event (gzip)",
                    (double) run.wireBytes() / run.received(),
                    "B");
            report.figure(
                    SUITE,
                    side + ": raw bytes/event (JSON)",
                    (double) run.rawBytes() / run.received(),
                    "B");
        }
    }

    static long runJob(Sink<Long> sink, long events) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.enableCheckpointing(1_000);
        BenchEvents.FIRST_ELEMENT_NANOS.set(0);
        env.fromSequence(1, events).map(new MarkFirst()).sinkTo(sink);
        SharedMiniCluster.execute(env, PARALLELISM);
        return System.nanoTime();
    }

    /** A run against the counting server (or none, for the no-op sink). */
    static Run measure(Sink<Long> sink, CaptureCountingServer server) throws Exception {
        long cpu = processCpuNanos();
        if (server == null) {
            // The no-op is an order of magnitude faster: more events, so its timing is not noise.
            long events = EVENTS * 5L;
            BenchEvents.LAST_DISCARDED_NANOS.set(0);
            runJob(sink, events);
            long last = BenchEvents.LAST_DISCARDED_NANOS.get();
            return new Run(
                    events,
                    events,
                    last - BenchEvents.FIRST_ELEMENT_NANOS.get(),
                    0,
                    0,
                    processCpuNanos() - cpu,
                    0,
                    0,
                    Map.of(),
                    Map.of());
        }
        server.reset();
        long serverCpu = server.serverCpuNanos();
        Cpu.ThreadSampler threads = Cpu.ThreadSampler.start();
        runJob(sink, EVENTS);
        long received = drain(server, EVENTS);
        Cpu.ThreadSampler.Usage usage = threads.stop();
        long last = server.lastEventNanos.get();
        return new Run(
                EVENTS,
                received,
                last - BenchEvents.FIRST_ELEMENT_NANOS.get(),
                server.wireBytes(),
                server.rawBytes.get(),
                processCpuNanos() - cpu,
                server.lastEventCpuNanos.get() - BenchEvents.FIRST_ELEMENT_CPU_NANOS.get(),
                server.serverCpuNanos() - serverCpu,
                usage.cpuNanos(),
                usage.allocatedBytes());
    }

    static Run measureOnTestkit(Sink<Long> sink, PostHogServer server) throws Exception {
        server.reset();
        long cpu = processCpuNanos();
        runJob(sink, TESTKIT_EVENTS);
        // events() copies the store under its lock: poll it rarely so as not to slow the server
        // down
        long received = settle(() -> server.events().size(), TESTKIT_EVENTS, 250);
        Instant lastBatch =
                server.requests().stream()
                        .filter(r -> r.path().startsWith("/batch"))
                        .map(RecordedRequest::receivedAt)
                        .max(Instant::compareTo)
                        .orElseThrow();
        long lastNanos = System.nanoTime() - Duration.between(lastBatch, Instant.now()).toNanos();
        return new Run(
                TESTKIT_EVENTS,
                received,
                lastNanos - BenchEvents.FIRST_ELEMENT_NANOS.get(),
                0,
                0,
                processCpuNanos() - cpu,
                0,
                0,
                Map.of(),
                Map.of());
    }

    static long drain(CaptureCountingServer server, long expected) throws Exception {
        return settle(server.events::get, expected, 10);
    }

    /**
     * Waits until the count reaches {@code expected} or stops changing for {@link #SETTLE} (an SDK
     * may still be sending after the job ended).
     */
    private static long settle(LongSupplier count, long expected, long pollMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + MAX_DRAIN.toNanos();
        long seen = count.getAsLong();
        long changedAt = System.nanoTime();
        while (seen < expected
                && System.nanoTime() - changedAt < SETTLE.toNanos()
                && System.nanoTime() < deadline) {
            Thread.sleep(pollMillis);
            long now = count.getAsLong();
            if (now != seen) {
                seen = now;
                changedAt = System.nanoTime();
            }
        }
        return seen;
    }
}
