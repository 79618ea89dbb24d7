package io.github.posthogflink.connector.source.hogql;

/** What {@link HogQLJoin} does with an event when its wait-for-first-snapshot buffer is full. */
public enum BufferOverflowPolicy {
    /** Fail the job (a restart replays the events, perhaps after the snapshot arrived). */
    FAIL,
    /** Emit the event joined with nothing (a null lookup row), and count it. */
    EMIT_UNJOINED
}
