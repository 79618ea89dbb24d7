package io.github.posthogflink.reliability;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input for the pipeline jar's scenarios: numbered capture events with their own uuids, and broken
 * lines among them that must come out as dead letters; and the exact-delivery check.
 */
final class PipelineEvents {
    static final String PIPELINE_MAIN = "io.github.posthogflink.jobs.PipelineMain";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2026-11-27T12:00:00Z");

    private final String prefix;
    private final int events;
    private final int invalidEvery;

    /**
     * @param invalidEvery every {@code invalidEvery}-th record is a broken line (0: none)
     */
    PipelineEvents(String prefix, int events, int invalidEvery) {
        this.prefix = prefix;
        this.events = events;
        this.invalidEvery = invalidEvery;
    }

    /** Number of records: the events and the broken lines between them. */
    int records() {
        return events + invalid();
    }

    int events() {
        return events;
    }

    /** Number of broken lines. */
    int invalid() {
        return invalidEvery == 0 ? 0 : events / invalidEvery;
    }

    /** Record {@code index} (0-based): an event, or a broken line. */
    byte[] record(int index) {
        return line(index).getBytes(StandardCharsets.UTF_8);
    }

    /** True when record {@code index} is a broken line. */
    boolean isInvalid(int index) {
        return invalidEvery != 0 && index % (invalidEvery + 1) == invalidEvery;
    }

    private String line(int index) {
        if (isInvalid(index)) {
            return "{\"event\": \"broken " + index + "\"";
        }
        int n = index - (invalidEvery == 0 ? 0 : index / (invalidEvery + 1));
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "pipeline tick");
        event.put("distinct_id", "user-" + (n % 100));
        event.put("uuid", uuid(n).toString());
        event.put("timestamp", BASE.plusMillis(n).toString());
        event.putObject("properties").put("seq", n);
        return event.toString();
    }

    UUID uuid(int n) {
        return EventUuids.fromIdentity(prefix + "/" + n);
    }

    Set<UUID> uuids() {
        return java.util.stream.IntStream.range(0, events)
                .mapToObj(this::uuid)
                .collect(Collectors.toSet());
    }

    /** Every event present once in PostHog after deduplication, nothing else. */
    void assertExactDelivery(PostHogServer posthog) {
        Map<UUID, Long> perUuid =
                posthog.dedupedEvents().stream()
                        .collect(Collectors.groupingBy(CapturedEvent::uuid, Collectors.counting()));
        assertThat(perUuid.keySet()).as("uuids after dedup").isEqualTo(uuids());
        assertThat(perUuid.values()).as("each uuid once").allMatch(count -> count == 1);
        Map<Long, CapturedEvent> bySeq =
                posthog.dedupedEvents().stream()
                        .collect(
                                Collectors.toMap(
                                        e -> Long.parseLong(e.property("seq")),
                                        Function.identity()));
        assertThat(bySeq).hasSize(events);
    }
}
