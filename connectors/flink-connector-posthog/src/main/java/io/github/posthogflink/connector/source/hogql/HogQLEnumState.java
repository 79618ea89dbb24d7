package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The enumerator's checkpoint: the split not yet handed to a reader (empty once assigned; the
 * assigned split's progress lives in the reader's state).
 */
@PublicEvolving
public record HogQLEnumState(List<HogQLSplit> unassigned, boolean created) {
    public HogQLEnumState {
        unassigned = List.copyOf(unassigned);
    }
}
