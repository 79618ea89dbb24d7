package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Shared pieces of the sink's MiniCluster tests. */
final class SinkTestSupport {
    /** Dead letters of the running test; static because the handler is serialized into tasks. */
    static final ConcurrentLinkedQueue<DeadLetter> DEAD_LETTERS = new ConcurrentLinkedQueue<>();

    static final Instant BASE_TIME = Instant.parse("2026-03-01T00:00:00Z");

    private SinkTestSupport() {}

    static PostHogEvent event(long id) {
        return PostHogEvents.capture("test event", "user-" + (id % 97))
                .property("n", id)
                .timestamp(BASE_TIME.plusMillis(id))
                .build();
    }

    static String identity(long id) {
        return "evt-" + id;
    }

    static PostHogSinkBuilder<Long> longSink(PostHogTestServer server) {
        return PostHogSink.<Long>builder()
                .setHost(server.baseUrl())
                .setProjectApiKey(server.projectApiKey())
                .setConverter(PostHogEventConverters.of(SinkTestSupport::event))
                .setEventIdentity(SinkTestSupport::identity)
                .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(100));
    }

    static Set<UUID> expectedUuids(long from, long toInclusive) {
        return LongStream.rangeClosed(from, toInclusive)
                .mapToObj(id -> EventUuids.fromIdentity(identity(id)))
                .collect(Collectors.toSet());
    }

    static Set<UUID> uuids(List<CapturedEvent> events) {
        return events.stream().map(CapturedEvent::uuid).collect(Collectors.toSet());
    }

    static void collect(DeadLetter deadLetter) {
        DEAD_LETTERS.add(deadLetter);
    }
}
