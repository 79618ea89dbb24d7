package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows that PostHog ingests later than {@code maxIngestionDelay} behind the cursor are never read;
 * the late-row check counts them in {@code lateRows}, once each.
 */
class HogQLLateRowsTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private Instant now;

    @BeforeEach
    void reset() {
        posthog.reset();
        now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    }

    private HogQLSource<String> source(Duration lateRowWindow) {
        return HogQLSource.<String>builder()
                .client(
                        HogQLTestSupport.config(posthog).toBuilder()
                                .retryPolicy(RetryPolicy.NONE)
                                .build())
                .incremental("uuid, timestamp, distinct_id", "events")
                .maxIngestionDelay(Duration.ofSeconds(30))
                .lateRowCheck(lateRowWindow, Duration.ofMillis(1))
                .pollInterval(Duration.ofMillis(1))
                .asyncStatusInterval(Duration.ofMillis(10))
                .deserializer(HogQLRowDeserializer.mapping(row -> "", Types.STRING))
                .build();
    }

    private static HogQLSplitReader reader(HogQLSource<String> source, HogQLSourceMetrics metrics) {
        return HogQLTestSupport.splitReader(source, metrics);
    }

    private static List<String> ids(RecordsWithSplitIds<HogQLRecord> batch) {
        return HogQLTestSupport.records(batch).stream()
                .map(r -> String.valueOf(r.values().get(2)))
                .toList();
    }

    private void capture(String distinctId, Instant timestamp) {
        HogQLTestSupport.capture(
                posthog,
                List.of(
                        PostHogEvent.builder("$pageview", distinctId)
                                .uuid(java.util.UUID.randomUUID())
                                .timestamp(timestamp)
                                .properties(Map.of())
                                .build()));
    }

    /** Fetches until a late-row check ran (the fetch after a short page). */
    private static List<String> fetchThroughACheck(HogQLSplitReader reader, HogQLSourceMetrics m)
            throws Exception {
        List<String> emitted = new ArrayList<>();
        long checks = m.lateRowChecks();
        for (int i = 0; i < 20 && m.lateRowChecks() == checks; i++) {
            emitted.addAll(ids(reader.fetch()));
        }
        assertThat(m.lateRowChecks()).isGreaterThan(checks);
        return emitted;
    }

    @Test
    void aRowIngestedBehindTheCursorIsCountedOnceAndNeverEmitted() throws Exception {
        for (int minute = 5; minute >= 3; minute--) {
            capture("on-time-" + minute, now.minus(Duration.ofMinutes(minute)).plusSeconds(7));
        }
        HogQLSourceMetrics metrics = new HogQLSourceMetrics();
        try (HogQLSplitReader reader = reader(source(Duration.ofMinutes(10)), metrics)) {
            assertThat(fetchThroughACheck(reader, metrics))
                    .containsExactly("on-time-5", "on-time-4", "on-time-3");
            assertThat(metrics.lateRows()).isZero();

            // PostHog ingests it now, four minutes behind the cursor: later than the 30 s allowed
            capture("late", now.minus(Duration.ofMinutes(4)).plusSeconds(20));
            capture("on-time-0", now.minusSeconds(1));

            List<String> emitted = fetchThroughACheck(reader, metrics);
            emitted.addAll(fetchThroughACheck(reader, metrics));

            assertThat(emitted).doesNotContain("late");
            assertThat(metrics.lateRows()).isEqualTo(1);
        }
    }

    @Test
    void theCheckCanBeTurnedOff() throws Exception {
        capture("on-time", now.minus(Duration.ofMinutes(3)));
        HogQLSourceMetrics metrics = new HogQLSourceMetrics();
        try (HogQLSplitReader reader = reader(source(Duration.ZERO), metrics)) {
            for (int i = 0; i < 3; i++) {
                reader.fetch();
            }
            capture("late", now.minus(Duration.ofMinutes(4)));
            for (int i = 0; i < 3; i++) {
                reader.fetch();
            }
        }
        assertThat(metrics.lateRowChecks()).isZero();
        assertThat(
                        HogQLTestSupport.queryRequests(posthog).stream()
                                .filter(r -> r.bodyText().contains("phf_minute")))
                .isEmpty();
    }
}
