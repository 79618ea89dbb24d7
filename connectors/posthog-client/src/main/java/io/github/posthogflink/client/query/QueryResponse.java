package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

/**
 * A query's result: {@code columns}, their ClickHouse {@code types}, the rows ({@code results}),
 * paging ({@code hasMore}, {@code limit}, {@code offset}: null for a HogQL query with its own
 * LIMIT; {@code nextCursor} for an EventsQuery), and PostHog's cache fields: whether the answer
 * came from the cache, when it was calculated ({@code last_refresh}), its {@code cache_key}, and
 * when it may be refreshed or goes stale. {@code answerBytes} is the size of the HTTP body that
 * carried the answer (0 when unknown), for the caller's byte metrics.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueryResponse(
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("types") List<Object> types,
        @JsonProperty("results") List<List<Object>> results,
        @JsonProperty("hasMore") @Nullable Boolean hasMore,
        @JsonProperty("limit") @Nullable Integer limit,
        @JsonProperty("offset") @Nullable Integer offset,
        @JsonProperty("hogql") @Nullable String hogql,
        @JsonProperty("is_cached") @Nullable Boolean isCached,
        @JsonProperty("last_refresh") @Nullable String lastRefresh,
        @JsonProperty("next_allowed_client_refresh") @Nullable String nextAllowedClientRefresh,
        @JsonProperty("cache_target_age") @Nullable String cacheTargetAge,
        @JsonProperty("cache_key") @Nullable String cacheKey,
        @JsonProperty("timezone") @Nullable String timezone,
        @JsonProperty("nextCursor") @Nullable String nextCursor,
        @JsonIgnore long answerBytes)
        implements Serializable {

    public QueryResponse {
        columns = columns == null ? List.of() : columns;
        types = types == null ? List.of() : types;
        results = results == null ? List.of() : results;
    }

    /** The answer without cache fields. */
    public QueryResponse(
            List<String> columns,
            List<Object> types,
            List<List<Object>> results,
            @Nullable Boolean hasMore,
            @Nullable Integer limit,
            @Nullable Integer offset,
            @Nullable String hogql) {
        this(
                columns, types, results, hasMore, limit, offset, hogql, null, null, null, null,
                null, null, null, 0);
    }

    /** This answer, noting the size of the HTTP body it came in (not part of the JSON). */
    public QueryResponse withAnswerBytes(long answerBytes) {
        return new QueryResponse(
                columns,
                types,
                results,
                hasMore,
                limit,
                offset,
                hogql,
                isCached,
                lastRefresh,
                nextAllowedClientRefresh,
                cacheTargetAge,
                cacheKey,
                timezone,
                nextCursor,
                answerBytes);
    }

    public boolean more() {
        return Boolean.TRUE.equals(hasMore);
    }

    /** Whether PostHog answered from its result cache. */
    public boolean cached() {
        return Boolean.TRUE.equals(isCached);
    }

    /**
     * A column's type name: PostHog sends either {@code "String"} or {@code ["name", "String"]}.
     */
    public String typeOf(int column) {
        Object t = types.get(column);
        if (t instanceof List<?> pair && pair.size() >= 2) {
            return String.valueOf(pair.get(1));
        }
        return String.valueOf(t);
    }
}
