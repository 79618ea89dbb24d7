package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.testkit.PostHogServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The sides of the {@code sink} suite, each warmed up and measured in a JVM of its own (as JMH
 * forks), so that no side's compiled code and profile shape another's (the floor, measured after
 * the sinks in one JVM, cost 2.5 µs per event instead of 1.6), on one MiniCluster per JVM ({@link
 * SharedMiniCluster}), warmed up for {@link #WARM_UP_NANOS}. The parent starts {@link #main} with
 * its own JVM options and reads the run back as one JSON line.
 */
public final class SinkSides {
    private static final String RESULT = "SINK-SIDE-RESULT ";

    /**
     * Warm-up jobs are run until this long has passed ({@code -Dsink.warm-up-seconds}): the JIT
     * compiled 1,000 to 2,000 methods a second for the first 10 s of a side's JVM and still spent a
     * fifth of the measured run's CPU after one warm-up job (5.06 against 2.88 µs per event after
     * six).
     */
    static final long WARM_UP_NANOS = Long.getLong("sink.warm-up-seconds", 12) * 1_000_000_000L;

    /** Measured runs of a counting-server side; the median (by CPU per event) is reported. */
    static final int MEASURED_RUNS = Integer.getInteger("sink.runs", 3);

    /** One side: its warm-up, then its measured run, against its own server. */
    enum Side {
        NO_OP,
        POSTHOG_SINK,
        POSTHOG_SINK_WITHOUT_GZIP,
        SDK_DEFAULTS,
        SDK_TUNED,
        POSTHOG_SINK_ON_TESTKIT,
        SDK_DEFAULTS_ON_TESTKIT;

        SinkBenchmark.Run measureHere() throws Exception {
            if (this == NO_OP) {
                warmUp(() -> SinkBenchmark.runJob(sink(null), SinkBenchmark.WARM_UP_EVENTS));
                return SinkBenchmark.measure(sink(null), null);
            }
            if (this == POSTHOG_SINK_ON_TESTKIT || this == SDK_DEFAULTS_ON_TESTKIT) {
                try (PostHogServer testkit =
                        PostHogServer.builder()
                                .projectApiKey(SinkBenchmark.API_KEY)
                                .build()
                                .start()) {
                    String url = testkit.baseUrl();
                    warmUp(
                            () -> {
                                testkit.reset();
                                SinkBenchmark.runJob(sink(url), SinkBenchmark.WARM_UP_EVENTS);
                            });
                    return SinkBenchmark.measureOnTestkit(sink(url), testkit);
                }
            }
            try (CaptureCountingServer server = new CaptureCountingServer()) {
                String url = server.baseUrl();
                long warmUp =
                        this == SDK_DEFAULTS || this == SDK_TUNED
                                ? SinkBenchmark.WARM_UP_EVENTS
                                : SinkBenchmark.SINK_WARM_UP_EVENTS;
                warmUp(
                        () -> {
                            server.reset();
                            SinkBenchmark.runJob(sink(url), warmUp);
                            SinkBenchmark.drain(server, warmUp);
                        });
                List<SinkBenchmark.Run> runs = new ArrayList<>();
                for (int run = 0; run < MEASURED_RUNS; run++) {
                    runs.add(SinkBenchmark.measure(sink(url), server));
                }
                runs.sort(Comparator.comparingDouble(SinkBenchmark.Run::windowCpuMicrosPerEvent));
                return runs.get(runs.size() / 2);
            }
        }

        /** The side's sink, sending to {@code url} (none for the no-op). */
        private org.apache.flink.api.connector.sink2.Sink<Long> sink(String url) {
            return switch (this) {
                case NO_OP -> new DiscardingEventSink();
                case POSTHOG_SINK, POSTHOG_SINK_ON_TESTKIT -> SinkBenchmark.postHogSink(url);
                case POSTHOG_SINK_WITHOUT_GZIP -> SinkBenchmark.postHogSink(url, false);
                case SDK_DEFAULTS, SDK_DEFAULTS_ON_TESTKIT -> SinkBenchmark.sdkSink(url, false);
                case SDK_TUNED -> SinkBenchmark.sdkSink(url, true);
            };
        }
    }

    /** A warm-up job. */
    interface WarmUpJob {
        void run() throws Exception;
    }

    /** Runs {@code job} again and again until {@link #WARM_UP_NANOS} have passed. */
    static void warmUp(WarmUpJob job) throws Exception {
        long start = System.nanoTime();
        do {
            job.run();
        } while (System.nanoTime() - start < WARM_UP_NANOS);
    }

    private SinkSides() {}

    /** The child: measures the side named by the argument and prints the run. */
    public static void main(String[] args) throws Exception {
        SinkBenchmark.Run run = Side.valueOf(args[0]).measureHere();
        if (Boolean.getBoolean("sink.native-threads")) {
            NativeThreads.print();
        }
        System.out.println(RESULT + Json.MAPPER.writeValueAsString(run));
        System.out.flush();
        System.exit(0); // Flink's and the SDK's non-daemon threads
    }

    /** Measures {@code side} in a new JVM with this JVM's options and class path. */
    static SinkBenchmark.Run fork(Side side) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SinkSides.class.getName());
        command.add(side.name());
        Process child =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        SinkBenchmark.Run run = null;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(RESULT)) {
                    run =
                            Json.MAPPER.readValue(
                                    line.substring(RESULT.length()), SinkBenchmark.Run.class);
                } else {
                    System.out.println("  [" + side + "] " + line);
                }
            }
        }
        int exit = child.waitFor();
        if (exit != 0 || run == null) {
            throw new IllegalStateException(
                    "The " + side + " side's JVM ended with " + exit + " and no result");
        }
        return run;
    }
}
