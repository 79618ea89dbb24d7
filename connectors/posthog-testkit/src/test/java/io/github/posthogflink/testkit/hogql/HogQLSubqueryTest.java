package io.github.posthogflink.testkit.hogql;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A subquery in FROM, as the HogQL source's keyset paging of any query sends it. */
class HogQLSubqueryTest {
    private static HogQLEngine engine;

    @BeforeAll
    static void seed() {
        engine = SeedData.seededEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void pagesAnAggregatingQueryByKeyset() throws Exception {
        String inner = "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id";
        HogQLResult all = engine.execute(inner + " ORDER BY distinct_id", Map.of(), 0);
        assertThat(all.results()).hasSizeGreaterThan(2);

        HogQLResult first =
                engine.execute(
                        "SELECT * FROM (" + inner + ") ORDER BY distinct_id LIMIT {n}",
                        Map.of("n", 2),
                        0);
        assertThat(first.columns()).containsExactly("distinct_id", "n");
        assertThat(first.types()).isEqualTo(all.types());
        assertThat(first.results()).isEqualTo(all.results().subList(0, 2));
        assertThat(first.paginated()).isFalse();

        Object after = first.results().get(1).get(0);
        HogQLResult rest =
                engine.execute(
                        "SELECT * FROM ("
                                + inner
                                + ") AS t WHERE t.distinct_id > {after} ORDER BY distinct_id"
                                + " LIMIT 100",
                        Map.of("after", after),
                        0);
        assertThat(rest.results()).isEqualTo(all.results().subList(2, all.results().size()));
        assertThat(rest.hogql())
                .isEqualTo(
                        "SELECT distinct_id, n FROM (SELECT distinct_id, count() AS n FROM events"
                                + " GROUP BY distinct_id) AS t WHERE greater(t.distinct_id, '"
                                + after
                                + "') ORDER BY distinct_id ASC LIMIT 100");
    }

    @Test
    void aSubqueryKeepsItsOwnLimitAndTheOuterQueryIsPaginated() throws Exception {
        HogQLResult r =
                engine.execute(
                        "SELECT count() AS c FROM (SELECT uuid FROM events ORDER BY uuid LIMIT 3)",
                        Map.of(),
                        0);
        assertThat(r.results()).isEqualTo(List.of(List.of(3L)));
        assertThat(r.paginated()).isTrue();
    }
}
