package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

import javax.annotation.Nullable;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Persons by lookup key, bounded by rows and by estimated bytes, expiring a fixed time after write;
 * missing persons are cached too, with their own (usually shorter) TTL.
 *
 * <p>Caffeine bounds by one weight, so each entry weighs at least {@code maxBytes / maxRows}: the
 * byte bound then also caps the row count.
 */
final class PersonCache {
    /** A cached answer: a person, or {@code null} for "PostHog has none". */
    record Entry(@Nullable Person person, int weight) {
        Optional<Person> asOptional() {
            return Optional.ofNullable(person);
        }
    }

    private final Cache<String, Entry> cache;
    private final int minWeight;

    PersonCache(PersonLookupOptions options, LongSupplier ticker, PersonLookupStats stats) {
        long maxRows = options.cacheMaxRows();
        long maxBytes = options.cacheMaxBytes();
        this.minWeight = (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / maxRows));
        long ttl = options.cacheTtl().toNanos();
        long negativeTtl = options.negativeCacheTtl().toNanos();
        this.cache =
                Caffeine.newBuilder()
                        .ticker(ticker::getAsLong)
                        .executor(Runnable::run)
                        .maximumWeight(maxBytes)
                        .weigher((String key, Entry e) -> e.weight())
                        .expireAfter(
                                new Expiry<String, Entry>() {
                                    @Override
                                    public long expireAfterCreate(
                                            String key, Entry e, long currentTime) {
                                        return e.person() != null ? ttl : negativeTtl;
                                    }

                                    @Override
                                    public long expireAfterUpdate(
                                            String key, Entry e, long currentTime, long current) {
                                        return expireAfterCreate(key, e, currentTime);
                                    }

                                    @Override
                                    public long expireAfterRead(
                                            String key, Entry e, long currentTime, long current) {
                                        return current;
                                    }
                                })
                        .removalListener(
                                (String key, Entry e, RemovalCause cause) -> {
                                    if (cause == RemovalCause.SIZE) {
                                        stats.evictions.increment();
                                    } else if (cause == RemovalCause.EXPIRED) {
                                        stats.expirations.increment();
                                    }
                                })
                        .build();
    }

    @Nullable
    Entry get(String key) {
        return cache.getIfPresent(key);
    }

    void put(String key, @Nullable Person person) {
        long bytes = PersonSizeEstimator.estimate(key, person);
        int weight = (int) Math.min(Integer.MAX_VALUE, Math.max(minWeight, bytes));
        cache.put(key, new Entry(person, weight));
    }

    void invalidate(String key) {
        cache.invalidate(key);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }

    long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Runs pending maintenance (expiry, eviction) now. */
    void cleanUp() {
        cache.cleanUp();
    }

    /** The summed weight of the entries, i.e. the estimated bytes (at least the row floor each). */
    long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
