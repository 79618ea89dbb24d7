package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.enrich.flags.EvaluationMode;
import io.github.posthogflink.connector.enrich.flags.FeatureFlagEnricher;
import io.github.posthogflink.connector.enrich.flags.FlagEnrichmentOptions;
import io.github.posthogflink.testkit.PostHogServer;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-event cost of local flag evaluation in a Flink pipeline: the same job with {@link
 * FeatureFlagEnricher} (local mode, two flags) and with a pass-through async function.
 */
final class FlagEnrichmentBenchmark implements Benchmark {
    private static final long EVENTS = 1_000_000;

    @Override
    public String name() {
        return "flag-enrichment";
    }

    @Override
    public void run(Report report) throws Exception {
        try (PostHogServer server = PostHogServer.builder().build().start()) {
            server.seed().createFlag("simple-rollout", 45);
            server.seed()
                    .createFlag(
                            (ObjectNode)
                                    Json.MAPPER.readTree(
                                            "{\"key\":\"pro-variant\",\"active\":true,\"filters\":"
                                                + "{\"groups\":[{\"properties\":[{\"key\":\"plan\","
                                                + "\"value\":[\"pro\"],\"operator\":\"exact\","
                                                + "\"type\":\"person\"}],\"rollout_percentage\":55}],"
                                                + "\"multivariate\":{\"variants\":["
                                                + "{\"key\":\"a\",\"rollout_percentage\":50},"
                                                + "{\"key\":\"b\",\"rollout_percentage\":50}]}}}"));
            FlagEnrichmentOptions options =
                    FlagEnrichmentOptions.builder(
                                    PostHogClientConfig.builder()
                                            .host(server.baseUrl())
                                            .projectApiKey(server.projectApiKey())
                                            .personalApiKey(server.personalApiKey())
                                            .projectId(server.projectId())
                                            .build())
                            .mode(EvaluationMode.LOCAL)
                            .onlyEvaluateLocally(true)
                            .personPropertyKeys("plan")
                            .build();

            run(new PassThrough(), EVENTS / 5);
            run(FeatureFlagEnricher.forPostHogEvents(options), EVENTS / 5);
            double passThrough = run(new PassThrough(), EVENTS);
            double enriched = run(FeatureFlagEnricher.forPostHogEvents(options), EVENTS);
            report.figure(name(), "events/s, pass-through async function", passThrough, "ev/s");
            report.figure(
                    name(), "events/s, FeatureFlagEnricher (local, 2 flags)", enriched, "ev/s");
            report.figure(
                    name(), "added cost per event", (1e6 / enriched) - (1e6 / passThrough), "µs");
            report.ratio(
                    name(), "enricher / pass-through throughput", enriched / passThrough, null);
        }
    }

    private static double run(RichAsyncFunction<PostHogEvent, PostHogEvent> function, long events)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        DataStream<PostHogEvent> input =
                env.fromSequence(1, events)
                        .map(
                                i ->
                                        PostHogEvent.builder("$pageview", "user-" + i)
                                                .property("plan", i % 2 == 0 ? "pro" : "free")
                                                .timestamp(at)
                                                .build())
                        .returns(PostHogEvent.class);
        AsyncDataStream.unorderedWait(input, function, 10, TimeUnit.SECONDS, 1000)
                .returns(PostHogEvent.class)
                .sinkTo(new Discard());
        long start = System.nanoTime();
        env.execute("flag-enrichment-benchmark");
        return events / ((System.nanoTime() - start) / 1e9);
    }

    /** Completes each event at once, unchanged: the cost of async I/O itself. */
    private static final class PassThrough extends RichAsyncFunction<PostHogEvent, PostHogEvent> {
        @Override
        public void open(OpenContext context) {}

        @Override
        public void asyncInvoke(PostHogEvent event, ResultFuture<PostHogEvent> result) {
            result.complete(List.of(event));
        }
    }

    /** Discards events, touching one field so the work is not optimized away. */
    private static final class Discard implements Sink<PostHogEvent> {
        @Override
        public SinkWriter<PostHogEvent> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                private long properties;

                @Override
                public void write(PostHogEvent event, Context context) {
                    properties += event.properties().size();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {
                    if (properties < 0) {
                        throw new IllegalStateException();
                    }
                }
            };
        }
    }
}
