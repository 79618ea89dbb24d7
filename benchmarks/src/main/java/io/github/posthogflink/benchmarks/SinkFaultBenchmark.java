package io.github.posthogflink.benchmarks;

import io.github.posthogflink.connector.sink.PostHogEventConverters;
import io.github.posthogflink.connector.sink.PostHogSink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * The PostHog sink's throughput under transient faults against its own fault-free throughput, in
 * one run: {@value #EVENTS} events ({@code fromSequence} → map → sink, parallelism {@value
 * #PARALLELISM}, default sink settings) against the loopback counting server, once per fault
 * profile of the server's seeded {@link ServerFaults}. Time runs from the pipeline's first element
 * to the last request the server stored; the job's end-of-input flush waits until every event is
 * delivered, so job start-up and teardown are left out.
 */
final class SinkFaultBenchmark implements Benchmark {
    private static final String SUITE = "sink-faults";
    private static final int EVENTS = Integer.getInteger("sink-faults.events", 100_000);
    private static final int WARM_UP_EVENTS = 200_000;

    /** Measured runs per profile; the median is reported (a fault-free run lasts about 1 s). */
    private static final int RUNS = 3;

    private static final int PARALLELISM = 2;
    private static final String API_KEY = "phc_benchmark_project_key";

    /** Fault-free first: the others are compared with it. */
    private static final List<ServerFaults> PROFILES =
            List.of(
                    ServerFaults.NONE,
                    new ServerFaults("10% 503", 0.10, 0, 0, 0, 503),
                    new ServerFaults(
                            "10% 503, 5% 429, 4% resets, 5% answers lost",
                            0.10, 0.05, 0.04, 0.05, 4295));

    private static final List<String> TARGETS = List.of("", ">= 0.7", ">= 0.5");

    @Override
    public String name() {
        return SUITE;
    }

    record Run(long events, long requests, long received, long nanos) {
        double perSecond() {
            return events / (nanos / 1e9);
        }
    }

    @Override
    public void run(Report report) throws Exception {
        try (CaptureCountingServer server = new CaptureCountingServer()) {
            runJob(server.baseUrl(), WARM_UP_EVENTS); // compiles the sink's paths once for all
        }
        Run baseline = null;
        for (int i = 0; i < PROFILES.size(); i++) {
            ServerFaults faults = PROFILES.get(i);
            try (CaptureCountingServer server = new CaptureCountingServer(faults)) {
                List<Run> runs = new java.util.ArrayList<>();
                for (int r = 0; r < RUNS; r++) {
                    server.reset();
                    faults.reset();
                    runs.add(measure(server));
                }
                runs.sort(java.util.Comparator.comparingDouble(Run::perSecond));
                Run run = runs.get(RUNS / 2);
                String side = faults.name();
                report.figure(SUITE, side + ": events/s", run.perSecond(), "ev/s");
                report.figure(SUITE, side + ": requests", run.requests(), "");
                report.figure(
                        SUITE,
                        side + ": events/request",
                        (double) run.received() / run.requests(),
                        "");
                report.figure(
                        SUITE,
                        side + ": received / sent",
                        100.0 * run.received() / run.events(),
                        "% (>= 100: answers lost after storing)");
                if (baseline == null) {
                    baseline = run;
                } else {
                    report.ratio(
                            SUITE,
                            side + " / fault-free",
                            run.perSecond() / baseline.perSecond(),
                            TARGETS.get(i));
                }
            }
        }
    }

    private static Run measure(CaptureCountingServer server) throws Exception {
        runJob(server.baseUrl(), EVENTS);
        long end = server.lastEventNanos.get();
        long received = server.events.get();
        if (received < EVENTS) {
            throw new IllegalStateException(
                    "The sink ended with " + received + " of " + EVENTS + " events delivered");
        }
        return new Run(
                EVENTS, server.requests(), received, end - BenchEvents.FIRST_ELEMENT_NANOS.get());
    }

    private static long runJob(String url, long events) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, new Configuration());
        env.enableCheckpointing(1_000);
        BenchEvents.FIRST_ELEMENT_NANOS.set(0);
        env.fromSequence(1, events)
                .map(new SinkBenchmark.MarkFirst())
                .sinkTo(
                        PostHogSink.<Long>builder()
                                .setHost(url)
                                .setProjectApiKey(API_KEY)
                                .setConverter(PostHogEventConverters.of(BenchEvents::event))
                                .setEventIdentity(BenchEvents::identity)
                                .build());
        env.execute("sink fault benchmark");
        return System.nanoTime();
    }
}
