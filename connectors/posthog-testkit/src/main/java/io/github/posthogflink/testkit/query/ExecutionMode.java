package io.github.posthogflink.testkit.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PostHog's {@code ExecutionMode} ({@code posthog/hogql_queries/query_runner.py}) and how the query
 * API derives it from a request ({@code posthog/api/query.py}): {@code refresh} names a mode,
 * {@code true} means {@code force_blocking}; anything else (missing, {@code false}, an unknown
 * text) means {@code force_cache}, which the API then runs as {@code blocking}. The legacy {@code
 * "async": true} means {@code async}.
 */
enum ExecutionMode {
    /** Always calculate, and wait. */
    FORCE_BLOCKING("force_blocking"),
    /** Always calculate asynchronously: 202 with a status to poll. */
    FORCE_ASYNC("force_async"),
    /** The cached result unless missing or stale; else calculate and wait. */
    BLOCKING("blocking"),
    /** The cached result unless missing or stale; else calculate asynchronously. */
    ASYNC("async"),
    /** Like {@link #ASYNC}, but wait on a cache miss. */
    ASYNC_EXCEPT_ON_CACHE_MISS("async_except_on_cache_miss"),
    /** The cached result for longer (lazy staleness); else calculate asynchronously. */
    LAZY_ASYNC("lazy_async"),
    /** Only the cache (the query API runs it as {@link #BLOCKING}). */
    FORCE_CACHE("force_cache");

    final String value;

    ExecutionMode(String value) {
        this.value = value;
    }

    static ExecutionMode fromRequest(JsonNode body) {
        if (body.path("async").asBoolean(false)) {
            return ASYNC;
        }
        ExecutionMode mode = fromRefresh(body.get("refresh"));
        return mode == FORCE_CACHE ? BLOCKING : mode;
    }

    static ExecutionMode fromRefresh(JsonNode refresh) {
        if (refresh == null || refresh.isNull()) {
            return FORCE_CACHE;
        }
        if (refresh.isBoolean()) {
            return refresh.asBoolean() ? FORCE_BLOCKING : FORCE_CACHE;
        }
        for (ExecutionMode mode : values()) {
            if (mode.value.equals(refresh.asText())) {
                return mode;
            }
        }
        return FORCE_CACHE;
    }
}
