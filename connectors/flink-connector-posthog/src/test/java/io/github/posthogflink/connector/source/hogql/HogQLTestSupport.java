package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Client configuration for the testkit, event seeding, and local Flink environments. */
final class HogQLTestSupport {
    static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    private HogQLTestSupport() {}

    static PostHogClientConfig config(PostHogTestServer posthog) {
        return PostHogClientConfig.builder()
                .host(posthog.baseUrl())
                .projectApiKey(posthog.projectApiKey())
                .personalApiKey(posthog.personalApiKey())
                .projectId(posthog.projectId())
                .build();
    }

    /**
     * {@code count} $pageview events, {@code tieGroup} of them per timestamp (so pages split runs
     * of equal timestamps), with seeded uuids; returns the uuids.
     */
    static List<String> seedEvents(PostHogTestServer posthog, int count, int tieGroup, long seed) {
        Random random = new Random(seed);
        List<PostHogEvent> events = new ArrayList<>(count);
        List<String> uuids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID uuid = new UUID(random.nextLong(), random.nextLong());
            uuids.add(uuid.toString());
            events.add(
                    PostHogEvent.builder("$pageview", "user-" + (i % 101))
                            .uuid(uuid)
                            .timestamp(BASE.plusNanos((i / tieGroup) * 1_000_123_000L))
                            .property("i", i)
                            .build());
        }
        capture(posthog, events);
        return uuids;
    }

    static void capture(PostHogTestServer posthog, List<PostHogEvent> events) {
        try (PostHogClient client = PostHogClient.create(config(posthog))) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int from = 0; from < events.size(); from += 5000) {
                sent.add(
                        client.capture()
                                .batch(events.subList(from, Math.min(events.size(), from + 5000))));
            }
            sent.forEach(CompletableFuture::join);
        }
    }

    static PostHogEvent event(String distinctId, Instant timestamp, Map<String, ?> properties) {
        return PostHogEvent.builder("$pageview", distinctId)
                .uuid(UUID.randomUUID())
                .timestamp(timestamp)
                .properties(properties)
                .build();
    }

    /** Recorded query requests (POST …/query/). */
    static List<RecordedRequest> queryRequests(PostHogTestServer posthog) {
        return posthog.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/query/"))
                .toList();
    }

    /** A split reader of the source with its one split added, querying through the client. */
    static HogQLSplitReader splitReader(HogQLSource<?> source, HogQLSourceMetrics metrics) {
        HogQLSplitReader reader =
                new HogQLSplitReader(
                        source.options(), metrics, HogQLSourceReader.SharedExecutor::new);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(source.initialSplit())));
        return reader;
    }

    /** The records of one fetch. */
    static List<HogQLRecord> records(RecordsWithSplitIds<HogQLRecord> batch) {
        List<HogQLRecord> out = new ArrayList<>();
        while (batch.nextSplit() != null) {
            HogQLRecord r;
            while ((r = batch.nextRecordFromSplit()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** A local environment: parallelism 1, checkpoints every {@code checkpointMillis} (0: off). */
    static StreamExecutionEnvironment environment(long checkpointMillis, int restarts) {
        Configuration conf = new Configuration();
        if (restarts > 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(100));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        if (checkpointMillis > 0) {
            env.enableCheckpointing(checkpointMillis);
        }
        return env;
    }
}
