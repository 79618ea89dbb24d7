package io.github.posthogflink.testkit.hogql;

import java.util.List;

/**
 * A query's answer in PostHog's shape: {@code columns}, ClickHouse-style {@code types} (e.g. {@code
 * String}, {@code UInt64}, {@code DateTime64(6, 'UTC')}), rows, and paging.
 */
public record HogQLResult(
        List<String> columns,
        List<String> types,
        List<List<Object>> results,
        boolean hasMore,
        int limit,
        int offset,
        String hogql) {}
