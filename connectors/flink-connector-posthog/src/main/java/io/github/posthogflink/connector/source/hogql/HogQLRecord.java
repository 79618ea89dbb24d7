package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One result row on its way from the split reader to the emitter, with what the split state needs
 * after emitting it.
 */
record HogQLRecord(
        HogQLResultSchema schema,
        @Nullable List<Object> values,
        RowKind kind,
        long version,
        Instant pollTime,
        int index,
        int count,
        @Nullable String cursorTimestamp,
        @Nullable String cursorUuid,
        @Nullable String key,
        boolean lastOfPoll) {

    /** A view for deserializers. */
    HogQLRow row() {
        return new HogQLRow(schema, values, kind, version, pollTime, index, count);
    }
}
