package io.github.posthogflink.client.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.posthogflink.client.ratelimit.ThrottleScope.API_QUERIES_BURST;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.API_QUERIES_SUSTAINED;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.BURST;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.CLICKHOUSE_BURST;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.CLICKHOUSE_SUSTAINED;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.FEATURE_FLAG_EVALUATIONS;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.PERSONS_DELETE_BURST;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.PERSONS_DELETE_SUSTAINED;
import static io.github.posthogflink.client.ratelimit.ThrottleScope.SUSTAINED;

/**
 * The kinds of private-API calls, by the {@link ThrottleScope}s PostHog counts them in. A call
 * takes a permit in every scope of its class; classes that name the same scope share its bucket.
 */
public enum RateLimitClass {
    /**
     * Persons calls other than deletes (reads, {@code batch_by_distinct_ids}, property updates,
     * split): {@code posthog/api/person.py} gives personal-key calls {@code
     * ClickHouseBurstRateThrottle} only, 240/min and no hourly cap.
     */
    PERSONS(CLICKHOUSE_BURST),
    /** Person deletes ({@code destroy}, {@code bulk_delete}): 480/min and 4800/h. */
    PERSONS_DELETE(PERSONS_DELETE_BURST, PERSONS_DELETE_SUSTAINED),
    /** Insights and session recordings, every action: 240/min and 1200/h. */
    ANALYTICS(CLICKHOUSE_BURST, CLICKHOUSE_SUSTAINED),
    /**
     * Starting a HogQL query ({@code POST query/} with a {@code HogQLQuery}): 240/min and 2400/h on
     * current teams; see {@link RateLimitPolicy#withLegacyQueryLimits()} for teams on the older
     * limits ({@code HogQLQueryThrottle}, 120/h).
     */
    QUERY(API_QUERIES_BURST, API_QUERIES_SUSTAINED),
    /**
     * Polling or cancelling a query ({@code GET}/{@code DELETE query/:id/}): the same buckets as
     * {@link #QUERY} on current teams; the ClickHouse buckets on legacy teams.
     */
    QUERY_STATUS(API_QUERIES_BURST, API_QUERIES_SUSTAINED),
    /**
     * Reading a query's log ({@code GET query/:id/log/}): the API-queries buckets on every team
     * ({@code QueryViewSet.get_throttles} answers {@code get_query_log} before it looks at the
     * team's limits).
     */
    QUERY_LOG(API_QUERIES_BURST, API_QUERIES_SUSTAINED),
    /** Feature flag definitions for local evaluation: 600/min. */
    FLAG_LOCAL_EVALUATION(FEATURE_FLAG_EVALUATIONS),
    /** Every other private endpoint: 480/min and 4800/h. */
    CRUD(BURST, SUSTAINED),
    /** Public ingestion endpoints (capture, {@code /flags}): no client-side budget. */
    UNLIMITED();

    private final List<ThrottleScope> defaultScopes;

    RateLimitClass(ThrottleScope... defaultScopes) {
        this.defaultScopes = List.of(defaultScopes);
    }

    /** The scopes PostHog counts this class in on current teams. */
    public List<ThrottleScope> defaultScopes() {
        return defaultScopes;
    }

    /** PostHog's limits for this class: the windows of its default scopes. */
    public List<Window> defaultWindows() {
        List<Window> windows = new ArrayList<>();
        for (ThrottleScope scope : defaultScopes) {
            windows.add(scope.defaultWindow());
        }
        return List.copyOf(windows);
    }

    /** At most {@code permits} calls in any sliding {@code period}. */
    public record Window(int permits, Duration period) implements java.io.Serializable {
        public Window {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be >= 1");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be > 0");
            }
        }

        @Override
        public String toString() {
            return permits + "/" + period;
        }
    }
}
