package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One row of a HogQL result as PostHog sent it: JSON values ({@code String}, {@code Integer},
 * {@code Long}, {@code BigInteger}, {@code Double}, {@code Boolean}, lists, maps or null) with the
 * result's schema, plus where it came from.
 *
 * @param schema the result's columns and ClickHouse types
 * @param values the row's values; null for the empty-snapshot marker (see {@link #isEmptyMarker()})
 * @param kind INSERT, or for a snapshot changelog UPDATE_AFTER or DELETE
 * @param version the snapshot poll this row belongs to (1 for the first poll); 0 for incremental
 * @param pollTime when the poll ran (the source's clock)
 * @param index the row's position in its poll's result
 * @param count the number of rows of its poll
 */
@PublicEvolving
public record HogQLRow(
        HogQLResultSchema schema,
        @Nullable List<Object> values,
        RowKind kind,
        long version,
        Instant pollTime,
        int index,
        int count) {

    /** The value of a column by position. */
    @Nullable
    public Object value(int column) {
        return values == null ? null : values.get(column);
    }

    /** The value of a column by name. */
    @Nullable
    public Object value(String column) {
        int i = schema.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "No column '" + column + "' in the result " + schema.columns());
        }
        return value(i);
    }

    /** Whether this stands for a snapshot poll that returned no rows (versioned output only). */
    public boolean isEmptyMarker() {
        return values == null;
    }
}
