package io.github.posthogflink.client.query;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a query is sent: its {@code name} (shown in PostHog's query log), its {@code refresh} mode,
 * and its {@code client_query_id} (the id under which an async query runs and the query log finds
 * it; a retried start then names the same query).
 */
public record QueryOptions(
        @Nullable String name, QueryRefresh refresh, @Nullable String clientQueryId)
        implements Serializable {

    public QueryOptions {
        Objects.requireNonNull(refresh, "refresh");
    }

    /** Fresh rows, waiting for them ({@code force_blocking}). */
    public static QueryOptions blocking(@Nullable String name) {
        return new QueryOptions(name, QueryRefresh.FORCE_BLOCKING, null);
    }

    /** A fresh calculation in the background ({@code force_async}). */
    public static QueryOptions async(@Nullable String name) {
        return new QueryOptions(name, QueryRefresh.FORCE_ASYNC, null);
    }

    public QueryOptions withRefresh(QueryRefresh refresh) {
        return new QueryOptions(name, refresh, clientQueryId);
    }

    public QueryOptions withClientQueryId(@Nullable String id) {
        return new QueryOptions(name, refresh, id);
    }
}
