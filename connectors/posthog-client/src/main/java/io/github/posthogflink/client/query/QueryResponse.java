package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

/**
 * A query's result: {@code columns}, their ClickHouse {@code types}, the rows ({@code results}),
 * and paging ({@code hasMore}, {@code limit}, {@code offset}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueryResponse(
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("types") List<Object> types,
        @JsonProperty("results") List<List<Object>> results,
        @JsonProperty("hasMore") @Nullable Boolean hasMore,
        @JsonProperty("limit") @Nullable Integer limit,
        @JsonProperty("offset") @Nullable Integer offset,
        @JsonProperty("hogql") @Nullable String hogql)
        implements Serializable {

    public QueryResponse {
        columns = columns == null ? List.of() : columns;
        types = types == null ? List.of() : types;
        results = results == null ? List.of() : results;
    }

    public boolean more() {
        return Boolean.TRUE.equals(hasMore);
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
