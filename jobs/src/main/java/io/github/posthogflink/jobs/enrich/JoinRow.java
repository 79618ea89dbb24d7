package io.github.posthogflink.jobs.enrich;

import java.io.Serializable;

/**
 * A row of the HogQL join's snapshot: its key (the join column as text) and its other columns as a
 * JSON object (column name to value). {@link #toString()} shows the key only: the columns are user
 * data.
 */
public record JoinRow(String key, String columnsJson) implements Serializable {
    @Override
    public String toString() {
        return "JoinRow[key=" + key + "]";
    }
}
