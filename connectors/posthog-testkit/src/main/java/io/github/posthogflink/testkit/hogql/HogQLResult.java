package io.github.posthogflink.testkit.hogql;

import java.util.ArrayList;
import java.util.List;

/**
 * A query's answer in PostHog's shape: {@code columns}, ClickHouse-style {@code types} (e.g. {@code
 * String}, {@code UInt64}, {@code DateTime64(6, 'UTC')}), rows, and paging.
 *
 * @param paginated whether PostHog's paginator ran (the query had no LIMIT); PostHog reports {@code
 *     hasMore}, {@code limit} and {@code offset} only then, and {@code null} otherwise
 */
public record HogQLResult(
        List<String> columns,
        List<String> types,
        List<List<Object>> results,
        boolean hasMore,
        int limit,
        int offset,
        String hogql,
        boolean paginated) {

    /**
     * {@code types} in the shape PostHog's JSON response carries them: {@code [[column, type],
     * ...]} (ClickHouse's {@code with_column_types} pairs).
     */
    public List<List<String>> typesWithNames() {
        List<List<String>> pairs = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            pairs.add(List.of(columns.get(i), types.get(i)));
        }
        return pairs;
    }
}
