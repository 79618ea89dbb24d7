package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import javax.annotation.Nullable;

/**
 * Deserializes a record, emits it, then moves the split state past it, so a checkpoint holds
 * exactly the position after the last emitted record.
 */
final class HogQLRecordEmitter<T> implements RecordEmitter<HogQLRecord, T, HogQLSplitState> {
    private final HogQLRowDeserializer<T> deserializer;
    @Nullable private HogQLResultSchema opened;

    HogQLRecordEmitter(HogQLRowDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void emitRecord(HogQLRecord record, SourceOutput<T> output, HogQLSplitState state)
            throws Exception {
        if (record.values() == null) {
            if (deserializer.wantsEmptySnapshotMarkers()) {
                collect(deserializer.deserialize(record.row()), output);
            }
        } else {
            if (!record.schema().equals(opened)) {
                deserializer.open(record.schema());
                opened = record.schema();
            }
            collect(deserializer.deserialize(record.row()), output);
        }
        state.apply(record);
    }

    private void collect(@Nullable T value, SourceOutput<T> output) {
        if (value != null) {
            output.collect(value);
        }
    }
}
