package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.persons.Person;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PersonCacheTest {
    private final ManualTime time = new ManualTime();
    private final PersonLookupStats stats = new PersonLookupStats();

    private static PersonLookupOptions.Builder options() {
        return PersonLookupOptions.builder(
                PostHogClientConfig.builder().host("http://127.0.0.1:1").build());
    }

    private static Person person(String id, int propertyChars) {
        return new Person(
                "1",
                "uuid-" + id,
                null,
                List.of(id),
                Map.of("blob", "x".repeat(propertyChars)),
                "2026-01-01T00:00:00Z",
                null);
    }

    @Test
    void boundedByRows() {
        PersonCache cache = new PersonCache(options().cacheMaxRows(10).build(), time, stats);
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, person("k" + i, 10));
        }
        cache.cleanUp();
        assertThat(cache.estimatedSize()).isLessThanOrEqualTo(10);
        assertThat(stats.evictions()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void boundedByBytes() {
        PersonCache cache =
                new PersonCache(
                        options().cacheMaxRows(1_000_000).cacheMaxBytes(100_000).build(),
                        time,
                        stats);
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, person("k" + i, 5_000)); // about 10 kB each
        }
        cache.cleanUp();
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(100_000);
        assertThat(cache.estimatedSize()).isBetween(5L, 10L);
        assertThat(stats.evictions()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void sizeEstimateGrowsWithContent() {
        long small = PersonSizeEstimator.estimate("k", person("k", 10));
        long large = PersonSizeEstimator.estimate("k", person("k", 10_000));
        assertThat(large - small).isGreaterThanOrEqualTo(2 * (10_000 - 10));
        assertThat(PersonSizeEstimator.estimate("k", null)).isLessThan(small);
    }

    @Test
    void missingPersonsExpireOnTheirOwnTtl() {
        PersonCache cache =
                new PersonCache(
                        options()
                                .cacheTtl(Duration.ofMinutes(10))
                                .negativeCacheTtl(Duration.ofMinutes(1))
                                .build(),
                        time,
                        stats);
        cache.put("found", person("found", 1));
        cache.put("missing", null);
        time.advance(Duration.ofSeconds(61));
        assertThat(cache.get("missing")).isNull();
        assertThat(cache.get("found")).isNotNull();
        time.advance(Duration.ofMinutes(9));
        assertThat(cache.get("found")).isNull();
    }
}
