package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;

/** How a {@link HogQLSource} reads its query. */
@PublicEvolving
public enum HogQLMode {
    /** Every poll runs the whole query and emits the result as a new version (or a changelog). */
    SNAPSHOT,
    /** Pages through rows ordered by a cursor column and a tie-breaker, resuming from state. */
    INCREMENTAL
}
