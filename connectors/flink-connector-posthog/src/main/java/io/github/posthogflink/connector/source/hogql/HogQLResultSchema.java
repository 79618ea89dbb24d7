package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.query.QueryResponse;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A result's column names and ClickHouse type names, as PostHog sent them in {@code columns} and
 * {@code types}.
 */
@PublicEvolving
public record HogQLResultSchema(List<String> columns, List<String> types) implements Serializable {

    public HogQLResultSchema {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        if (columns.size() != types.size()) {
            throw new IllegalArgumentException(
                    "PostHog sent " + columns.size() + " columns but " + types.size() + " types");
        }
    }

    /** The schema of a response; type names come from names or {@code [column, type]} pairs. */
    public static HogQLResultSchema of(QueryResponse response) {
        List<String> types = new ArrayList<>(response.columns().size());
        for (int i = 0; i < response.columns().size(); i++) {
            types.add(i < response.types().size() ? response.typeOf(i) : "Nullable(Nothing)");
        }
        return new HogQLResultSchema(response.columns(), types);
    }

    /** The index of a column, or -1. */
    public int indexOf(String column) {
        return columns.indexOf(column);
    }

    /** Whether the column is there and holds date-times (an event time when it is the cursor). */
    public boolean isDateTime(@Nullable String column) {
        int i = column == null ? -1 : indexOf(column);
        return i >= 0 && ClickHouseType.parse(types.get(i)).kind() == ClickHouseType.Kind.DATETIME;
    }

    public int size() {
        return columns.size();
    }
}
