package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.testkit.PostHogServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The sides of the {@code sink} suite, each warmed up and measured in a JVM of its own (as JMH
 * forks), so that no side's compiled code and profile shape another's: a sink measured after the
 * others ran in the same JVM was a third slower than alone. The parent starts {@link #main} with
 * its own JVM options and reads the run back as one JSON line.
 */
public final class SinkSides {
    private static final String RESULT = "SINK-SIDE-RESULT ";

    /**
     * Warm-up jobs before the measured one ({@code -Dsink.warmups}); three gave the same figures as
     * one (4.92 against 4.89 µs per event for the PostHog sink).
     */
    static final int WARM_UP_RUNS = Integer.getInteger("sink.warmups", 1);

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
                SinkBenchmark.runJob(new DiscardingEventSink(), SinkBenchmark.WARM_UP_EVENTS);
                return SinkBenchmark.measure(new DiscardingEventSink(), null);
            }
            if (this == POSTHOG_SINK_ON_TESTKIT || this == SDK_DEFAULTS_ON_TESTKIT) {
                try (PostHogServer testkit =
                        PostHogServer.builder()
                                .projectApiKey(SinkBenchmark.API_KEY)
                                .build()
                                .start()) {
                    String url = testkit.baseUrl();
                    boolean sink = this == POSTHOG_SINK_ON_TESTKIT;
                    SinkBenchmark.runJob(
                            sink
                                    ? SinkBenchmark.postHogSink(url)
                                    : SinkBenchmark.sdkSink(url, false),
                            SinkBenchmark.WARM_UP_EVENTS);
                    return SinkBenchmark.measureOnTestkit(
                            sink
                                    ? SinkBenchmark.postHogSink(url)
                                    : SinkBenchmark.sdkSink(url, false),
                            testkit);
                }
            }
            try (CaptureCountingServer server = new CaptureCountingServer()) {
                String url = server.baseUrl();
                long warmUp =
                        this == SDK_DEFAULTS || this == SDK_TUNED
                                ? SinkBenchmark.WARM_UP_EVENTS
                                : SinkBenchmark.SINK_WARM_UP_EVENTS;
                for (int run = 0; run < WARM_UP_RUNS; run++) {
                    server.reset();
                    SinkBenchmark.runJob(sink(url), warmUp);
                    SinkBenchmark.drain(server, warmUp);
                }
                return SinkBenchmark.measure(sink(url), server);
            }
        }

        private org.apache.flink.api.connector.sink2.Sink<Long> sink(String url) {
            return switch (this) {
                case POSTHOG_SINK -> SinkBenchmark.postHogSink(url);
                case POSTHOG_SINK_WITHOUT_GZIP -> SinkBenchmark.postHogSink(url, false);
                case SDK_DEFAULTS -> SinkBenchmark.sdkSink(url, false);
                case SDK_TUNED -> SinkBenchmark.sdkSink(url, true);
                default -> throw new IllegalStateException(name());
            };
        }
    }

    private SinkSides() {}

    /** The child: measures the side named by the argument and prints the run. */
    public static void main(String[] args) throws Exception {
        SinkBenchmark.Run run = Side.valueOf(args[0]).measureHere();
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
