package io.github.posthogflink.testkit.hogql;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** PostHog's row limits: 100 by default, 50,000 at most, limit+1 fetched for hasMore. */
class HogQLLimitsTest {
    private static final int EVENTS = 150;
    private static HogQLEngine engine;

    @BeforeAll
    static void seed() {
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        engine = new HogQLEngine(Clock.fixed(base, ZoneOffset.UTC));
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            rows.add(
                    new EventRow(
                            new UUID(0, i + 1),
                            "e",
                            "user",
                            "{\"i\":" + i + "}",
                            base.plusSeconds(i)));
        }
        engine.insertEvents(rows);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void withoutLimitReturnsTheDefaultHundredAndHasMore() throws Exception {
        HogQLResult result =
                engine.execute("SELECT properties.i FROM events ORDER BY timestamp", Map.of(), 0);

        assertThat(result.results()).hasSize(100);
        assertThat(result.hasMore()).isTrue();
        assertThat(result.limit()).isEqualTo(100);
        assertThat(result.offset()).isZero();
        assertThat(result.hogql()).endsWith("LIMIT 101");
        assertThat(result.results().get(99)).containsExactly(99.0);
    }

    @Test
    void requestedPageLimitAppliesWhenTheQueryHasNoLimit() throws Exception {
        HogQLResult page = engine.execute("SELECT uuid FROM events", Map.of(), 149);
        assertThat(page.results()).hasSize(149);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.limit()).isEqualTo(149);

        HogQLResult all = engine.execute("SELECT uuid FROM events", Map.of(), 150);
        assertThat(all.results()).hasSize(150);
        assertThat(all.hasMore()).isFalse();
    }

    @Test
    void requestedPageLimitIsCappedAtFiftyThousand() throws Exception {
        HogQLResult result = engine.execute("SELECT uuid FROM events", Map.of(), 1_000_000);

        assertThat(result.limit()).isEqualTo(HogQLEngine.MAX_LIMIT);
        assertThat(result.hogql()).endsWith("LIMIT 50001");
        assertThat(result.results()).hasSize(EVENTS);
    }

    @Test
    void explicitLimitIsCappedAtFiftyThousandAndReportsNoHasMore() throws Exception {
        HogQLResult result = engine.execute("SELECT uuid FROM events LIMIT 60000", Map.of(), 0);

        assertThat(result.hogql()).endsWith("LIMIT 50000");
        assertThat(result.limit()).isEqualTo(50_000);
        assertThat(result.hasMore()).isFalse();
        assertThat(result.results()).hasSize(EVENTS);
    }

    @Test
    void explicitLimitIsNotPaginated() throws Exception {
        HogQLResult result =
                engine.execute("SELECT uuid FROM events ORDER BY timestamp LIMIT 10", Map.of(), 5);

        assertThat(result.results()).hasSize(10);
        assertThat(result.hasMore()).isFalse();
        assertThat(result.limit()).isEqualTo(10);
    }

    @Test
    void offsetWithoutLimitIsReplacedByThePaginatorsZero() throws Exception {
        HogQLResult result =
                engine.execute(
                        "SELECT properties.i FROM events ORDER BY timestamp OFFSET 20",
                        Map.of(),
                        5);

        assertThat(result.offset()).isZero();
        assertThat(result.results().get(0)).containsExactly(0.0);
    }
}
