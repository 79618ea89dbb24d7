package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.flags.FlagResult;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteFlagCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<RemoteFlagCache.Key> loads = new ArrayList<>();
    private final List<CompletableFuture<Map<String, FlagResult>>> pending = new ArrayList<>();

    private RemoteFlagCache cache(Duration ttl, long size) {
        return new RemoteFlagCache(
                ttl,
                size,
                nanos::get,
                key -> {
                    loads.add(key);
                    CompletableFuture<Map<String, FlagResult>> answer = new CompletableFuture<>();
                    pending.add(answer);
                    return answer;
                });
    }

    private static RemoteFlagCache.Key key(String distinctId, Map<String, Object> person) {
        return new RemoteFlagCache.Key(
                new FlagSubject(distinctId, Map.of(), person, Map.of()), Set.of("beta"));
    }

    private static Map<String, FlagResult> answer(boolean enabled) {
        return Map.of("beta", new FlagResult("beta", enabled, null, null, null, null));
    }

    @Test
    void identicalLookupsInFlightShareOneLoad() {
        RemoteFlagCache cache = cache(Duration.ofMinutes(1), 100);

        CompletableFuture<Map<String, FlagResult>> first = cache.get(key("u1", Map.of("a", 1)));
        CompletableFuture<Map<String, FlagResult>> second = cache.get(key("u1", Map.of("a", 1)));

        assertThat(loads).hasSize(1);
        assertThat(first).isNotDone();
        pending.get(0).complete(answer(true));
        assertThat(first.join()).isEqualTo(answer(true));
        assertThat(second.join()).isEqualTo(answer(true));
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.loads()).isEqualTo(1);
    }

    @Test
    void differentOverridesOrKeysAreDifferentEntries() {
        RemoteFlagCache cache = cache(Duration.ofMinutes(1), 100);

        cache.get(key("u1", Map.of("plan", "pro")));
        cache.get(key("u1", Map.of("plan", "free")));
        cache.get(key("u2", Map.of("plan", "pro")));
        cache.get(
                new RemoteFlagCache.Key(
                        new FlagSubject("u1", Map.of(), Map.of("plan", "pro"), Map.of()), null));
        cache.get(
                new RemoteFlagCache.Key(
                        new FlagSubject(
                                "u1", Map.of("company", "acme"), Map.of("plan", "pro"), Map.of()),
                        Set.of("beta")));

        assertThat(loads).hasSize(5);
        assertThat(cache.hits()).isZero();
    }

    @Test
    void answersAreReusedUntilTheTtlPasses() {
        RemoteFlagCache cache = cache(Duration.ofSeconds(60), 100);
        cache.get(key("u1", Map.of()));
        pending.get(0).complete(answer(true));

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get(key("u1", Map.of())).join()).isEqualTo(answer(true));
        assertThat(loads).hasSize(1);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        CompletableFuture<Map<String, FlagResult>> reloaded = cache.get(key("u1", Map.of()));
        assertThat(loads).hasSize(2);
        pending.get(1).complete(answer(false));
        assertThat(reloaded.join()).isEqualTo(answer(false));
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void failuresAreNotCached() {
        RemoteFlagCache cache = cache(Duration.ofMinutes(1), 100);
        CompletableFuture<Map<String, FlagResult>> failed = cache.get(key("u1", Map.of()));
        pending.get(0).completeExceptionally(new IllegalStateException("503"));
        assertThat(failed).isCompletedExceptionally();

        CompletableFuture<Map<String, FlagResult>> retried = cache.get(key("u1", Map.of()));
        assertThat(loads).hasSize(2);
        pending.get(1).complete(answer(true));
        assertThat(retried.join()).isEqualTo(answer(true));
    }

    @Test
    void sizeIsBounded() {
        RemoteFlagCache cache = cache(Duration.ofMinutes(1), 10);
        for (int i = 0; i < 50; i++) {
            cache.get(key("u" + i, Map.of()));
            pending.get(i).complete(answer(true));
        }
        cache.cleanUp();
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void zeroTtlDisablesCaching() {
        RemoteFlagCache cache = cache(Duration.ZERO, 100);
        cache.get(key("u1", Map.of()));
        cache.get(key("u1", Map.of()));
        assertThat(loads).hasSize(2);
        assertThat(cache.hits()).isZero();
        assertThat(cache.size()).isZero();
    }
}
