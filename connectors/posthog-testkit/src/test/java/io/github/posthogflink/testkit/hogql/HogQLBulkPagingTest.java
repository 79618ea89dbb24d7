package io.github.posthogflink.testkit.hogql;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** 120k events: bulk insert speed, cursor paging that sees each event once, concurrent use. */
class HogQLBulkPagingTest {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLBulkPagingTest.class);
    private static final int UNIQUE_EVENTS = 120_000;
    private static final int PAGE = 10_000;
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    /** Unique events with distinct timestamps, shuffled, plus seeded exact resends. */
    private static List<EventRow> events(Random random) {
        List<EventRow> rows = new ArrayList<>(UNIQUE_EVENTS + UNIQUE_EVENTS / 50);
        for (int i = 0; i < UNIQUE_EVENTS; i++) {
            // 2.000123 s apart: distinct, non-round microsecond timestamps over ~2.8 days.
            Instant timestamp = BASE.plusNanos(i * 2_000_123_000L);
            String properties =
                    "{\"$browser\":\""
                            + (i % 3 == 0 ? "Chrome" : "Firefox")
                            + "\",\"i\":"
                            + i
                            + ",\"$lib\":\"posthog-flink\"}";
            rows.add(
                    new EventRow(
                            new UUID(random.nextLong(), random.nextLong()),
                            "$pageview",
                            "user-" + (i % 997),
                            properties,
                            timestamp));
        }
        List<EventRow> resends = new ArrayList<>();
        for (int i = 0; i < UNIQUE_EVENTS / 50; i++) {
            resends.add(rows.get(random.nextInt(UNIQUE_EVENTS)));
        }
        rows.addAll(resends);
        Collections.shuffle(rows, random);
        return rows;
    }

    @Test
    void insertsAndPagesThroughEveryEventExactlyOnce() throws Exception {
        List<EventRow> rows = events(new Random(42));
        Set<String> expected = new HashSet<>();
        rows.forEach(row -> expected.add(row.uuid().toString()));
        assertThat(expected).hasSize(UNIQUE_EVENTS);

        try (HogQLEngine engine = new HogQLEngine()) {
            long start = System.nanoTime();
            for (int from = 0; from < rows.size(); from += 1000) {
                engine.insertEvents(rows.subList(from, Math.min(rows.size(), from + 1000)));
            }
            long insertMillis = (System.nanoTime() - start) / 1_000_000;

            Set<String> seen = new HashSet<>();
            int total = 0;
            String cursor = "1970-01-01T00:00:00Z";
            List<Long> pageMillis = new ArrayList<>();
            while (true) {
                long pageStart = System.nanoTime();
                HogQLResult page =
                        engine.execute(
                                "SELECT uuid, timestamp, properties.i FROM events WHERE timestamp >"
                                        + " {cursor} ORDER BY timestamp, uuid LIMIT 10000",
                                Map.of("cursor", cursor),
                                0);
                pageMillis.add((System.nanoTime() - pageStart) / 1_000_000);
                for (List<Object> row : page.results()) {
                    assertThat(seen.add((String) row.get(0))).as("seen twice: %s", row).isTrue();
                }
                total += page.results().size();
                if (page.results().size() < PAGE) {
                    break;
                }
                cursor = (String) page.results().get(page.results().size() - 1).get(1);
            }
            // The first page runs cold (class loading, JIT); the median is the steady state.
            List<Long> later = new ArrayList<>(pageMillis.subList(1, pageMillis.size()));
            Collections.sort(later);
            long slowestPage = later.get(later.size() - 1);
            LOG.info(
                    "120k+{} resends: insert {} ms; {} pages of 10k: first {} ms, median {} ms,"
                            + " slowest other {} ms",
                    UNIQUE_EVENTS / 50,
                    insertMillis,
                    pageMillis.size(),
                    pageMillis.get(0),
                    later.get(later.size() / 2),
                    slowestPage);

            assertThat(total).isEqualTo(UNIQUE_EVENTS);
            assertThat(seen).isEqualTo(expected);
            assertThat(pageMillis).hasSize(UNIQUE_EVENTS / PAGE + 1);
            // Generous bounds for a shared 2-core machine; the log line has the real figures.
            assertThat(insertMillis).isLessThan(10_000);
            assertThat(slowestPage).isLessThan(2_000);
        }
    }

    @Test
    void servesQueriesFromSeveralThreadsWhileInserting() throws Exception {
        List<EventRow> rows = events(new Random(7)).subList(0, 20_000);
        Set<UUID> unique = new HashSet<>();
        rows.forEach(row -> unique.add(row.uuid()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (HogQLEngine engine = new HogQLEngine()) {
            List<Future<?>> work = new ArrayList<>();
            work.add(
                    pool.submit(
                            () -> {
                                for (int from = 0; from < rows.size(); from += 500) {
                                    engine.insertEvents(rows.subList(from, from + 500));
                                }
                                return null;
                            }));
            for (int t = 0; t < 3; t++) {
                work.add(
                        pool.submit(
                                () -> {
                                    for (int q = 0; q < 30; q++) {
                                        HogQLResult result =
                                                engine.execute(
                                                        "SELECT properties.$browser, count() FROM"
                                                                + " events GROUP BY"
                                                                + " properties.$browser",
                                                        Map.of(),
                                                        0);
                                        assertThat(result.results().size()).isLessThanOrEqualTo(2);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            HogQLResult count = engine.execute("SELECT count() FROM events", Map.of(), 0);
            assertThat(count.results()).containsExactly(List.of((long) unique.size()));
        } finally {
            pool.shutdownNow();
        }
    }
}
