package io.github.posthogflink.client.query;

/**
 * PostHog's {@code refresh} modes ({@code RefreshType}; {@code ExecutionMode} in {@code
 * posthog/hogql_queries/query_runner.py}). The cached modes answer from PostHog's result cache
 * until the result is stale: for a HogQL query 5 minutes after it was calculated, for an
 * EventsQuery over a fixed date range 6 hours (one whose window moves with the clock is always
 * stale). Use the {@code FORCE_} modes where freshness matters.
 */
public enum QueryRefresh {
    /** Always calculate, and wait for the rows. */
    FORCE_BLOCKING("force_blocking", false),
    /** Always calculate in the background: PostHog answers 202 with a status to poll. */
    FORCE_ASYNC("force_async", true),
    /** The cached result unless missing or stale; else calculate and wait. */
    BLOCKING("blocking", false),
    /**
     * The cached result unless missing or stale; else calculate in the background (a stale result
     * comes back with the refresh's status).
     */
    ASYNC("async", true),
    /** Like {@link #ASYNC}, but waits for the rows when nothing is cached. */
    ASYNC_EXCEPT_ON_CACHE_MISS("async_except_on_cache_miss", true),
    /** The cached result for longer (15 minutes for HogQL); else calculate in the background. */
    LAZY_ASYNC("lazy_async", true),
    /** Only the cache; PostHog's query API runs it as {@link #BLOCKING}. */
    FORCE_CACHE("force_cache", false);

    private final String value;
    private final boolean async;

    QueryRefresh(String value, boolean async) {
        this.value = value;
        this.async = async;
    }

    /** The {@code refresh} value on the wire. */
    public String value() {
        return value;
    }

    /** Whether PostHog may answer 202 and a status to poll. */
    public boolean isAsync() {
        return async;
    }

    /** Whether PostHog may answer from its cache. */
    public boolean isCached() {
        return this != FORCE_BLOCKING && this != FORCE_ASYNC;
    }

    /** The mode named by a {@code refresh} value, e.g. {@code force_blocking}. */
    public static QueryRefresh of(String value) {
        for (QueryRefresh refresh : values()) {
            if (refresh.value.equals(value)) {
                return refresh;
            }
        }
        throw new IllegalArgumentException(
                "Unknown refresh mode '"
                        + value
                        + "'; one of "
                        + java.util.Arrays.toString(
                                java.util.Arrays.stream(values())
                                        .map(QueryRefresh::value)
                                        .toArray()));
    }
}
