package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.time.Duration;

/**
 * PostHog's throttle scopes for calls made with a personal API key ({@code posthog/rate_limit.py},
 * {@code PersonalApiKeyRateThrottle}). Each scope is one sliding-window bucket per personal API
 * key: two keys of one organization have a bucket each, and two endpoints that name the same scope
 * share one (persons reads and insights both count in {@code clickhouse_burst}).
 */
public enum ThrottleScope {
    /** {@code BurstRateThrottle}: every endpoint without its own throttles. */
    BURST("burst", 480, Duration.ofMinutes(1)),
    /** {@code SustainedRateThrottle}: every endpoint without its own throttles. */
    SUSTAINED("sustained", 4800, Duration.ofHours(1)),
    /** {@code ClickHouseBurstRateThrottle}: persons, insights, recordings, events, sessions. */
    CLICKHOUSE_BURST("clickhouse_burst", 240, Duration.ofMinutes(1)),
    /** {@code ClickHouseSustainedRateThrottle}: insights, recordings (not persons). */
    CLICKHOUSE_SUSTAINED("clickhouse_sustained", 1200, Duration.ofHours(1)),
    /** {@code APIQueriesBurstThrottle}: the query API of current teams, polls included. */
    API_QUERIES_BURST("api_queries_burst", 240, Duration.ofMinutes(1)),
    /** {@code APIQueriesSustainedThrottle}: the query API of current teams, polls included. */
    API_QUERIES_SUSTAINED("api_queries_sustained", 2400, Duration.ofHours(1)),
    /**
     * {@code HogQLQueryThrottle}: HogQL queries of teams on PostHog's legacy query limits; the
     * team's {@code api_query_rate_limit} may change it.
     */
    HOGQL_QUERY("query", 120, Duration.ofHours(1)),
    /** {@code PersonsDeleteBurstThrottle}: person deletes ({@code posthog/api/person.py}). */
    PERSONS_DELETE_BURST("persons_delete_burst", 480, Duration.ofMinutes(1)),
    /** {@code PersonsDeleteSustainedThrottle}: person deletes. */
    PERSONS_DELETE_SUSTAINED("persons_delete_sustained", 4800, Duration.ofHours(1)),
    /**
     * {@code LocalEvaluationThrottle} ({@code posthog/api/feature_flag.py}): flag definitions for
     * local evaluation.
     */
    FEATURE_FLAG_EVALUATIONS("feature_flag_evaluations", 600, Duration.ofMinutes(1));

    private final String postHogName;
    private final Window defaultWindow;

    ThrottleScope(String postHogName, int permits, Duration period) {
        this.postHogName = postHogName;
        this.defaultWindow = new Window(permits, period);
    }

    /** The scope's name in PostHog, e.g. {@code clickhouse_burst}. */
    public String postHogName() {
        return postHogName;
    }

    /** PostHog's rate for this scope. */
    public Window defaultWindow() {
        return defaultWindow;
    }
}
