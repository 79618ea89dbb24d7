package io.github.posthogflink.benchmarks;

import io.github.posthogflink.connector.sink.PostHogEventConverters;
import io.github.posthogflink.connector.sink.PostHogSink;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The PostHog sink's throughput under transient faults against its own fault-free throughput, in
 * one run: {@value #EVENTS} events ({@code fromSequence} → map → sink, parallelism {@value
 * #PARALLELISM}, default sink settings) against the loopback counting server, once per fault
 * profile of the server's seeded {@link ServerFaults}. Time runs from the pipeline's first element
 * to the last request the server stored; the job's end-of-input flush waits until every event is
 * delivered, so job start-up and teardown are left out. The profiles take turns, round after round,
 * so that a change in the machine's load falls on every profile alike; each profile's median run is
 * reported, and the ratios of the runs within one round show the spread.
 */
final class SinkFaultBenchmark implements Benchmark {
    private static final String SUITE = "sink-faults";

    /** Events per run: enough that a fault-free run lasts seconds, not a fraction of one. */
    private static final int EVENTS = Integer.getInteger("sink-faults.events", 500_000);

    private static final int WARM_UP_EVENTS = 200_000;

    /** Rounds of one run per profile; each profile's median run is reported. */
    private static final int ROUNDS = Integer.getInteger("sink-faults.rounds", 5);

    private static final int PARALLELISM = 2;

    /** Checkpoint interval ({@code -Dsink-faults.checkpoint-ms}, 0 for none). */
    private static final long CHECKPOINT_MILLIS = Long.getLong("sink-faults.checkpoint-ms", 1_000);

    /** The sink's first backoff ({@code -Dsink-faults.backoff-ms}; default the sink's own). */
    private static final Duration INITIAL_BACKOFF =
            Duration.ofMillis(
                    Long.getLong(
                            "sink-faults.backoff-ms",
                            PostHogSinkBuilder.DEFAULT_INITIAL_BACKOFF.toMillis()));

    private static final String API_KEY = "phc_benchmark_project_key";

    /** Fault-free first: the others are compared with it. */
    private static final List<ServerFaults> PROFILES = profiles();

    private static final List<String> TARGETS = List.of("", ">= 0.7", ">= 0.5");

    /**
     * The measured profiles; with {@code -Dsink-faults.each=true} also each fault of the mixed
     * profile alone, to show what each costs.
     */
    private static List<ServerFaults> profiles() {
        List<ServerFaults> profiles = new ArrayList<>();
        profiles.add(ServerFaults.NONE);
        profiles.add(new ServerFaults("10% 503", 0.10, 0, 0, 0, 503));
        profiles.add(
                new ServerFaults(
                        "10% 503, 5% 429, 4% resets, 5% answers lost",
                        0.10, 0.05, 0.04, 0.05, 4295));
        if (Boolean.getBoolean("sink-faults.each")) {
            profiles.add(new ServerFaults("5% 429", 0, 0.05, 0, 0, 429));
            profiles.add(new ServerFaults("4% resets", 0, 0, 0.04, 0, 4));
            profiles.add(new ServerFaults("5% answers lost", 0, 0, 0, 0.05, 5));
        }
        return List.copyOf(profiles);
    }

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
            SinkSides.warmUp( // compiles the sink's paths once for all
                    () -> {
                        server.reset();
                        runJob(server.baseUrl(), WARM_UP_EVENTS);
                    });
        }
        List<CaptureCountingServer> servers = new ArrayList<>();
        try {
            for (ServerFaults faults : PROFILES) {
                servers.add(new CaptureCountingServer(faults));
            }
            List<List<Run>> runs = new ArrayList<>();
            PROFILES.forEach(p -> runs.add(new ArrayList<>()));
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PROFILES.size(); i++) {
                    servers.get(i).reset();
                    PROFILES.get(i).reset();
                    runs.get(i).add(measure(servers.get(i)));
                }
            }
            for (int i = 0; i < PROFILES.size(); i++) {
                report(report, i, runs);
            }
        } finally {
            servers.forEach(CaptureCountingServer::close);
        }
    }

    private static void report(Report report, int profile, List<List<Run>> runs) {
        Run run = median(runs.get(profile));
        String side = PROFILES.get(profile).name();
        report.figure(
                SUITE, side + ": events/s", run.perSecond(), "ev/s (median of " + ROUNDS + ")");
        report.figure(SUITE, side + ": requests", run.requests(), "");
        report.figure(
                SUITE, side + ": events/request", (double) run.received() / run.requests(), "");
        report.figure(
                SUITE,
                side + ": received / sent",
                100.0 * run.received() / run.events(),
                "% (>= 100: answers lost after storing)");
        if (profile == 0) {
            return;
        }
        report.ratio(
                SUITE,
                side + " / fault-free",
                run.perSecond() / median(runs.get(0)).perSecond(),
                profile < TARGETS.size() ? TARGETS.get(profile) : null);
        List<Double> withinRounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            withinRounds.add(
                    runs.get(profile).get(round).perSecond() / runs.get(0).get(round).perSecond());
        }
        withinRounds.sort(Comparator.naturalOrder());
        report.figure(
                SUITE, side + " / fault-free within a round: lowest", withinRounds.get(0), "x");
        report.figure(
                SUITE,
                side + " / fault-free within a round: highest",
                withinRounds.get(ROUNDS - 1),
                "x");
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::perSecond));
        return sorted.get(sorted.size() / 2);
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
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        if (CHECKPOINT_MILLIS > 0) {
            env.enableCheckpointing(CHECKPOINT_MILLIS);
        }
        BenchEvents.FIRST_ELEMENT_NANOS.set(0);
        env.fromSequence(1, events)
                .map(new SinkBenchmark.MarkFirst())
                .sinkTo(
                        PostHogSink.<Long>builder()
                                .setHost(url)
                                .setProjectApiKey(API_KEY)
                                .setConverter(PostHogEventConverters.of(BenchEvents::event))
                                .setEventIdentity(BenchEvents::identity)
                                .setRetryBackoff(
                                        INITIAL_BACKOFF, PostHogSinkBuilder.DEFAULT_MAX_BACKOFF)
                                .build());
        SharedMiniCluster.execute(env, PARALLELISM);
        return System.nanoTime();
    }
}
