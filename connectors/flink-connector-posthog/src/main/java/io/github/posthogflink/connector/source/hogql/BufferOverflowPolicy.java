package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;

/** What {@link HogQLJoin} does with an event when its wait-for-first-snapshot buffer is full. */
@PublicEvolving
public enum BufferOverflowPolicy {
    /** Fail the job (a restart replays the events, perhaps after the snapshot arrived). */
    FAIL,
    /** Emit the event joined with nothing (a null lookup row), and count it. */
    EMIT_UNJOINED
}
