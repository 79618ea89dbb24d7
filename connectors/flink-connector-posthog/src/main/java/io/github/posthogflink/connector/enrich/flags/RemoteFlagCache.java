package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.flags.FlagResult;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remote flag answers by distinct id, groups, property overrides and requested keys, kept for a
 * TTL. Identical lookups while one is in flight share it; failed lookups are not kept. Disabled
 * (every lookup loads) when the TTL or the size is zero.
 */
final class RemoteFlagCache {

    /** What identifies a remote answer. {@code flagKeys} null means all flags. */
    record Key(FlagSubject subject, @Nullable Set<String> flagKeys) {}

    /** Fetches an answer: flag results by key. */
    @FunctionalInterface
    interface Loader {
        CompletableFuture<Map<String, FlagResult>> load(Key key);
    }

    /** A settled load: flags, or the error. Failed loads never sit in Caffeine as failed. */
    private record Answer(@Nullable Map<String, FlagResult> flags, @Nullable Throwable error) {}

    @Nullable private final AsyncCache<Key, Answer> cache;
    private final Loader loader;
    private final LongAdder hits = new LongAdder();
    private final LongAdder loads = new LongAdder();

    RemoteFlagCache(Duration ttl, long maxSize, Ticker ticker, Loader loader) {
        this.loader = loader;
        if (ttl.isZero() || maxSize == 0) {
            this.cache = null;
        } else {
            this.cache =
                    Caffeine.newBuilder()
                            .expireAfterWrite(ttl)
                            .maximumSize(maxSize)
                            .ticker(ticker)
                            .executor(Runnable::run)
                            .buildAsync();
        }
    }

    /** The answer for {@code key}: cached, in flight, or loaded now. */
    CompletableFuture<Map<String, FlagResult>> get(Key key) {
        if (cache == null) {
            loads.increment();
            return loader.load(key);
        }
        boolean[] loaded = {false};
        CompletableFuture<Answer> answer =
                cache.get(
                        key,
                        (k, executor) -> {
                            loaded[0] = true;
                            return settle(k);
                        });
        (loaded[0] ? loads : hits).increment();
        // Outside Caffeine's compute: drop a failed answer so the next lookup loads again.
        answer.thenAccept(
                a -> {
                    if (a.error() != null) {
                        cache.asMap().remove(key, answer);
                    }
                });
        return answer.thenCompose(
                a ->
                        a.error() == null
                                ? CompletableFuture.completedFuture(a.flags())
                                : CompletableFuture.failedFuture(a.error()));
    }

    private CompletableFuture<Answer> settle(Key key) {
        CompletableFuture<Map<String, FlagResult>> load;
        try {
            load = loader.load(key);
        } catch (RuntimeException e) {
            load = CompletableFuture.failedFuture(e);
        }
        return load.handle(Answer::new);
    }

    /** Lookups answered without a new load (cached or in flight). */
    long hits() {
        return hits.sum();
    }

    /** Lookups that started a load. */
    long loads() {
        return loads.sum();
    }

    /** Entries held, in flight included (an estimate, as Caffeine's). */
    long size() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }

    void cleanUp() {
        if (cache != null) {
            cache.synchronous().cleanUp();
        }
    }
}
