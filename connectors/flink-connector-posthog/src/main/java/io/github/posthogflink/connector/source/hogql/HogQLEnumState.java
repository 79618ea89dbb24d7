package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The enumerator's checkpoint: the splits not yet handed to a reader, and whether the splits were
 * created. Assigned splits' progress lives in the readers' state; finished splits are in neither,
 * so a restore never reads them again.
 */
@PublicEvolving
public record HogQLEnumState(List<HogQLSplit> unassigned, boolean created) {
    public HogQLEnumState {
        unassigned = List.copyOf(unassigned);
    }
}
