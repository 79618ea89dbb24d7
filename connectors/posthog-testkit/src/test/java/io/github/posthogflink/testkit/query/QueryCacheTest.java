package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostHog's result cache and execution modes ({@code query_runner.py}, {@code caching/utils.py}):
 * what each {@code refresh} value answers with a fresh, stale or missing cache entry.
 */
class QueryCacheTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T12:00:00Z"));
    static final QueryApiTest.HeldExecutor EXECUTOR = new QueryApiTest.HeldExecutor();

    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().clock(CLOCK).queryExecutor(EXECUTOR).build();

    private final TestHttp http = new TestHttp(posthog);

    @AfterAll
    static void release() {
        EXECUTOR.releaseAll();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
        EXECUTOR.releaseAll();
        capture("signed_up");
    }

    private void capture(String event) {
        http.post(
                "/batch/",
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\""
                        + event
                        + "\",\"distinct_id\":\"u1\"}]}");
    }

    private TestHttp.Reply count(String refresh) {
        return http.api(
                "POST",
                http.project("query/"),
                "{"
                        + refresh
                        + "\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT count() FROM"
                        + " events\"}}");
    }

    private static long rows(JsonNode body) {
        return body.get("results").get(0).get(0).asLong();
    }

    @Test
    void blockingAnswersFromTheCacheUntilItIsStaleForceBlockingAlwaysCalculates() {
        TestHttp.Reply first = count("\"refresh\":\"blocking\",");
        capture("second");
        CLOCK.advance(Duration.ofMinutes(4));

        TestHttp.Reply cached = count("\"refresh\":\"blocking\",");
        TestHttp.Reply forced = count("\"refresh\":\"force_blocking\",");

        assertThat(first.json().get("is_cached").asBoolean()).isFalse();
        assertThat(cached.status()).isEqualTo(200);
        assertThat(cached.json().get("is_cached").asBoolean()).isTrue();
        assertThat(rows(cached.json())).isEqualTo(1);
        assertThat(cached.json().get("last_refresh")).isEqualTo(first.json().get("last_refresh"));
        assertThat(forced.json().get("is_cached").asBoolean()).isFalse();
        assertThat(rows(forced.json())).isEqualTo(2);

        capture("third");
        CLOCK.advance(Duration.ofMinutes(6)); // a HogQL result is stale after 5 minutes
        TestHttp.Reply stale = count("\"refresh\":\"blocking\",");
        assertThat(stale.json().get("is_cached").asBoolean()).isFalse();
        assertThat(rows(stale.json())).isEqualTo(3);
    }

    @Test
    void aMissingRefreshAndTheLegacyValuesMeanBlockingOrForceBlocking() {
        count("");
        capture("second");

        assertThat(count("").json().get("is_cached").asBoolean()).isTrue();
        assertThat(count("\"refresh\":false,").json().get("is_cached").asBoolean()).isTrue();
        assertThat(count("\"refresh\":\"force_cache\",").json().get("is_cached").asBoolean())
                .isTrue();
        assertThat(count("\"refresh\":\"nonsense\",").json().get("is_cached").asBoolean()).isTrue();
        JsonNode legacyTrue = count("\"refresh\":true,").json();
        assertThat(legacyTrue.get("is_cached").asBoolean()).isFalse();
        assertThat(rows(legacyTrue)).isEqualTo(2);
    }

    @Test
    void theCacheFieldsAreThoseOfPostHog() {
        JsonNode body = count("").json();

        assertThat(body.get("cache_key").asText()).matches("cache_[0-9a-f]{32}");
        assertThat(body.get("timezone").asText()).isEqualTo("UTC");
        Instant lastRefresh = Instant.parse(body.get("last_refresh").asText());
        assertThat(lastRefresh).isEqualTo(CLOCK.instant());
        assertThat(Instant.parse(body.get("next_allowed_client_refresh").asText()))
                .isEqualTo(lastRefresh.plus(Duration.ofMinutes(1)));
        assertThat(Instant.parse(body.get("cache_target_age").asText()))
                .isEqualTo(lastRefresh.plus(Duration.ofHours(6)));
        assertThat(body.get("query_status").isNull()).isTrue();
        // the same query written with its keys in another order is the same cache entry
        JsonNode reordered =
                http.api(
                                "POST",
                                http.project("query/"),
                                "{\"query\":{\"query\":\"SELECT count() FROM events\",\"kind\":"
                                        + "\"HogQLQuery\"}}")
                        .json();
        assertThat(reordered.get("cache_key")).isEqualTo(body.get("cache_key"));
        assertThat(reordered.get("is_cached").asBoolean()).isTrue();
    }

    @Test
    void asyncAnswersAFreshCacheAtOnceAndAStaleOneWithARefreshUnderway() {
        count("\"refresh\":\"blocking\",");

        TestHttp.Reply fresh = count("\"refresh\":\"async\",\"client_query_id\":\"a1\",");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.json().get("is_cached").asBoolean()).isTrue();

        capture("second");
        CLOCK.advance(Duration.ofMinutes(6));
        TestHttp.Reply stale = count("\"refresh\":\"async\",\"client_query_id\":\"a2\",");

        assertThat(stale.status()).isEqualTo(202);
        assertThat(rows(stale.json())).isEqualTo(1);
        assertThat(stale.json().get("query_status").get("id").asText()).isEqualTo("a2");
        assertThat(stale.json().get("query_status").get("complete").asBoolean()).isFalse();
        EXECUTOR.releaseAll();
        TestHttp.Reply done = http.api("GET", http.project("query/a2/"), null);
        assertThat(done.status()).isEqualTo(200);
        assertThat(rows(done.json().get("query_status").get("results"))).isEqualTo(2);
    }

    @Test
    void asyncOnACacheMissAnswersTheCacheKeyAndAStatus() {
        TestHttp.Reply miss = count("\"refresh\":\"async\",\"client_query_id\":\"m1\",");

        assertThat(miss.status()).isEqualTo(202);
        assertThat(miss.json().get("cache_key").asText()).startsWith("cache_");
        assertThat(miss.json().has("results")).isFalse();
        assertThat(miss.json().get("query_status").get("id").asText()).isEqualTo("m1");
    }

    @Test
    void asyncExceptOnCacheMissWaitsOnAMiss() {
        TestHttp.Reply miss = count("\"refresh\":\"async_except_on_cache_miss\",");

        assertThat(miss.status()).isEqualTo(200);
        assertThat(miss.json().get("is_cached").asBoolean()).isFalse();
        assertThat(rows(miss.json())).isEqualTo(1);
    }

    @Test
    void lazyAsyncKeepsAStaleResultUntilItIsLazilyStale() {
        count("\"refresh\":\"blocking\",");
        capture("second");
        CLOCK.advance(Duration.ofMinutes(10)); // stale (5 min), not lazily stale (15 min)

        TestHttp.Reply lazy = count("\"refresh\":\"lazy_async\",\"client_query_id\":\"l1\",");

        assertThat(lazy.status()).isEqualTo(200);
        assertThat(lazy.json().get("is_cached").asBoolean()).isTrue();
        assertThat(http.api("GET", http.project("query/l1/"), null).status()).isEqualTo(404);

        CLOCK.advance(Duration.ofMinutes(10));
        TestHttp.Reply lazilyStale =
                count("\"refresh\":\"lazy_async\",\"client_query_id\":\"l2\",");
        assertThat(lazilyStale.status()).isEqualTo(202);
        assertThat(lazilyStale.json().get("query_status").get("id").asText()).isEqualTo("l2");
    }

    @Test
    void forceAsyncAlwaysStartsAQuery() {
        count("\"refresh\":\"blocking\",");

        TestHttp.Reply started = count("\"refresh\":\"force_async\",\"client_query_id\":\"f1\",");

        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().has("results")).isFalse();
        assertThat(started.json().get("query_status").get("complete").asBoolean()).isFalse();
    }

    @Test
    void anEventsQueryOverAMovingWindowIsNeverServedFromTheCache() {
        String events =
                "{\"query\":{\"kind\":\"EventsQuery\",\"select\":[\"count()\"]},\"refresh\":"
                        + "\"blocking\"}";
        String pinned =
                "{\"query\":{\"kind\":\"EventsQuery\",\"select\":[\"count()\"],\"after\":"
                        + "\"2026-03-01\",\"before\":\"2026-03-03\"},\"refresh\":\"blocking\"}";
        http.api("POST", http.project("query/"), events);
        http.api("POST", http.project("query/"), pinned);

        JsonNode moving = http.api("POST", http.project("query/"), events).json();
        JsonNode fixed = http.api("POST", http.project("query/"), pinned).json();

        assertThat(moving.get("is_cached").asBoolean()).isFalse();
        assertThat(moving.get("cache_target_age")).isEqualTo(moving.get("last_refresh"));
        assertThat(fixed.get("is_cached").asBoolean()).isTrue();
    }

    @Test
    void anAsyncStatusExpiresTenMinutesAfterItsLastChange() {
        count("\"refresh\":\"force_async\",\"client_query_id\":\"e1\",");
        EXECUTOR.releaseAll();
        assertThat(http.api("GET", http.project("query/e1/"), null).status()).isEqualTo(200);

        CLOCK.advance(Duration.ofMinutes(11));

        assertThat(http.api("GET", http.project("query/e1/"), null).status()).isEqualTo(404);
    }
}
