package io.github.posthogflink.reliability.job;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.sink.PostHogEventConverters;
import io.github.posthogflink.connector.sink.PostHogSink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The reliability tests' own job, packaged into a fat jar by the test: a bounded, rate-limited,
 * checkpointed sequence 0..events-1 written through {@link PostHogSink}. Each event's uuid derives
 * from {@code seq/<n>} and its timestamp from n, so a replay resends identical events.
 *
 * <p>Arguments: {@code --events N --rate perSecond --posthog-host URL [--checkpoint-interval-ms ms]
 * [--max-batch-size n] [--key-env VARIABLE]}. The project key comes from the environment variable
 * {@code POSTHOG_PROJECT_API_KEY} (or the one named by {@code --key-env}), never from an argument.
 */
public final class SequenceToPostHogJob {

    /** Base of the events' timestamps (event n is at BASE + n ms). */
    public static final Instant BASE = Instant.parse("2026-11-27T12:00:00Z");

    /** The event name. */
    public static final String EVENT = "reliability tick";

    private SequenceToPostHogJob() {}

    /** The identity of event n; its uuid is {@code EventUuids.fromIdentity(identity(n))}. */
    public static String identity(long n) {
        return "seq/" + n;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        long events = Long.parseLong(required(options, "events"));
        double rate = Double.parseDouble(required(options, "rate"));
        String host = required(options, "posthog-host");
        long checkpointInterval =
                Long.parseLong(options.getOrDefault("checkpoint-interval-ms", "1000"));
        int maxBatchSize = Integer.parseInt(options.getOrDefault("max-batch-size", "100"));
        String keyVariable = options.getOrDefault("key-env", "POSTHOG_PROJECT_API_KEY");
        String projectKey = System.getenv(keyVariable);
        if (projectKey == null || projectKey.isBlank()) {
            throw new IllegalArgumentException(keyVariable + " is not set");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(checkpointInterval);

        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index, events, RateLimiterStrategy.perSecond(rate), Types.LONG);
        PostHogSink<Long> sink =
                PostHogSink.<Long>builder()
                        .setHost(host)
                        .setProjectApiKey(projectKey)
                        .setConverter(PostHogEventConverters.of(SequenceToPostHogJob::event))
                        .setEventIdentity(SequenceToPostHogJob::identity)
                        .setMaxBatchSize(maxBatchSize)
                        .setMaxTimeInBufferMS(200)
                        .setRetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "sequence")
                .uid("sequence")
                .sinkTo(sink)
                .uid("posthog-sink")
                .name("posthog");
        env.execute("reliability: sequence to PostHog");
    }

    static PostHogEvent event(Long n) {
        return PostHogEvent.builder(EVENT, "user-" + (n % 50))
                .property("seq", n)
                .timestamp(BASE.plusMillis(n))
                .build();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
