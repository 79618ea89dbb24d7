package io.github.posthogflink.testkit.query;

import java.time.Duration;
import java.time.Instant;

/**
 * When a cached result is stale, per query kind, as PostHog's query runners decide it ({@code
 * posthog/caching/utils.py} {@code is_stale} and {@code staleness_threshold_map}; the runners'
 * {@code _is_stale} and {@code cache_target_age}).
 *
 * @param threshold age after which a result is stale; null: always stale
 * @param lazyThreshold the same for {@code lazy_async}'s second look
 * @param pinnedDateTo the end of a fixed date range: a result refreshed more than 10 s after it
 *     never goes stale; null: no fixed end
 * @param targetAge {@code cache_target_age} minus {@code last_refresh}
 */
record Staleness(
        Duration threshold, Duration lazyThreshold, Instant pinnedDateTo, Duration targetAge) {

    /** PostHog's {@code minute} interval (5 min, lazy 15 min): queries without a date range. */
    static final Staleness MINUTE =
            new Staleness(
                    Duration.ofMinutes(5), Duration.ofMinutes(15), null, Duration.ofMinutes(5));

    /**
     * HogQLQuery: stale like a query without date range, but kept warm like a day insight ({@code
     * HogQLQueryRunner.cache_target_age}: 6 h).
     */
    static final Staleness HOGQL =
            new Staleness(Duration.ofMinutes(5), Duration.ofMinutes(15), null, Duration.ofHours(6));

    /** An EventsQuery whose window moves with the clock: always stale. */
    static final Staleness ALWAYS = new Staleness(null, null, null, Duration.ZERO);

    /** An EventsQuery with both ends pinned: PostHog's {@code None} interval (6 h, lazy 12 h). */
    static Staleness pinned(Instant dateTo) {
        return new Staleness(
                Duration.ofHours(6), Duration.ofHours(12), dateTo, Duration.ofMinutes(5));
    }

    boolean stale(Instant lastRefresh, Instant now, boolean lazy) {
        Duration limit = lazy ? lazyThreshold : threshold;
        if (limit == null) {
            return true;
        }
        if (pinnedDateTo != null && pinnedDateTo.isBefore(lastRefresh.minusSeconds(10))) {
            return false;
        }
        return now.isAfter(lastRefresh.plus(limit));
    }

    Instant targetAge(Instant lastRefresh) {
        return lastRefresh.plus(targetAge);
    }
}
