package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import javax.annotation.Nullable;

/**
 * Deserializes a record, emits it, then moves the split state past it, so a checkpoint holds
 * exactly the position after the last emitted record. Incremental rows whose cursor column is a
 * date-time carry it as their event timestamp (ascending, so {@code
 * WatermarkStrategy.forMonotonousTimestamps()} fits).
 */
final class HogQLRecordEmitter<T> implements RecordEmitter<HogQLRecord, T, HogQLSplitState> {
    private final HogQLRowDeserializer<T> deserializer;
    @Nullable private final String cursorColumn;
    private final HogQLSourceMetrics metrics;
    @Nullable private HogQLResultSchema opened;
    private boolean cursorIsTime;

    HogQLRecordEmitter(
            HogQLRowDeserializer<T> deserializer,
            @Nullable String cursorColumn,
            HogQLSourceMetrics metrics) {
        this.deserializer = deserializer;
        this.cursorColumn = cursorColumn;
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(HogQLRecord record, SourceOutput<T> output, HogQLSplitState state)
            throws Exception {
        if (record.values() == null) {
            if (deserializer.wantsEmptySnapshotMarkers()) {
                collect(deserializer.deserialize(record.row()), record, output);
            }
        } else {
            if (record.schema() != opened && !record.schema().equals(opened)) {
                deserializer.open(record.schema());
                opened = record.schema();
                cursorIsTime = record.schema().isDateTime(cursorColumn);
            }
            collect(deserializer.deserialize(record.row()), record, output);
        }
        state.apply(record);
        metrics.emitted();
    }

    private void collect(@Nullable T value, HogQLRecord record, SourceOutput<T> output) {
        if (value == null) {
            return;
        }
        if (cursorIsTime && record.cursorTimestamp() != null) {
            output.collect(
                    value, FlinkTarget.parseInstant(record.cursorTimestamp()).toEpochMilli());
        } else {
            output.collect(value);
        }
    }
}
