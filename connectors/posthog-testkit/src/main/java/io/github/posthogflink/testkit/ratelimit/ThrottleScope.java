package io.github.posthogflink.testkit.ratelimit;

import java.time.Duration;

/**
 * PostHog's throttle scopes for personal-API-key calls ({@code posthog/rate_limit.py}, {@code
 * posthog/api/person.py}, {@code posthog/api/feature_flag.py}) and their rates. Each is one
 * sliding-window bucket per personal API key.
 */
public enum ThrottleScope {
    /** {@code BurstRateThrottle}: DRF's default for every endpoint without its own throttles. */
    BURST("burst", new Rate(480, Duration.ofMinutes(1))),
    /** {@code SustainedRateThrottle}: the other default. */
    SUSTAINED("sustained", new Rate(4800, Duration.ofHours(1))),
    /** {@code ClickHouseBurstRateThrottle}: persons, insights, recordings. */
    CLICKHOUSE_BURST("clickhouse_burst", new Rate(240, Duration.ofMinutes(1))),
    /** {@code ClickHouseSustainedRateThrottle}: insights, recordings; not persons. */
    CLICKHOUSE_SUSTAINED("clickhouse_sustained", new Rate(1200, Duration.ofHours(1))),
    /** {@code APIQueriesBurstThrottle}: every action of the query API on current teams. */
    API_QUERIES_BURST("api_queries_burst", new Rate(240, Duration.ofMinutes(1))),
    /** {@code APIQueriesSustainedThrottle}: every action of the query API on current teams. */
    API_QUERIES_SUSTAINED("api_queries_sustained", new Rate(2400, Duration.ofHours(1))),
    /** {@code HogQLQueryThrottle}: HogQL queries of teams on the legacy query limits. */
    HOGQL_QUERY("query", new Rate(120, Duration.ofHours(1))),
    /** {@code PersonsDeleteBurstThrottle}: person deletes. */
    PERSONS_DELETE_BURST("persons_delete_burst", new Rate(480, Duration.ofMinutes(1))),
    /** {@code PersonsDeleteSustainedThrottle}: person deletes. */
    PERSONS_DELETE_SUSTAINED("persons_delete_sustained", new Rate(4800, Duration.ofHours(1))),
    /** {@code LocalEvaluationThrottle}: flag definitions for local evaluation. */
    FEATURE_FLAG_EVALUATIONS("feature_flag_evaluations", new Rate(600, Duration.ofMinutes(1)));

    /** At most {@code requests} per {@code period}. */
    public record Rate(int requests, Duration period) {}

    private final String postHogName;
    private final Rate defaultRate;

    ThrottleScope(String postHogName, Rate defaultRate) {
        this.postHogName = postHogName;
        this.defaultRate = defaultRate;
    }

    /** The scope's name in PostHog. */
    public String postHogName() {
        return postHogName;
    }

    public Rate defaultRate() {
        return defaultRate;
    }
}
