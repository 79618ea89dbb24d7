package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Wraps a row deserializer so each row carries its snapshot version, position and count. */
final class SnapshotRowDeserializer<L> implements HogQLRowDeserializer<SnapshotRow<L>> {
    private static final long serialVersionUID = 1L;

    private final HogQLRowDeserializer<L> rows;

    SnapshotRowDeserializer(HogQLRowDeserializer<L> rows) {
        this.rows = rows;
    }

    @Override
    public void open(HogQLResultSchema schema) {
        rows.open(schema);
    }

    @Override
    public SnapshotRow<L> deserialize(HogQLRow row) throws Exception {
        if (row.isEmptyMarker()) {
            return new SnapshotRow<>(row.version(), 0, 0, null);
        }
        return new SnapshotRow<>(row.version(), row.index(), row.count(), rows.deserialize(row));
    }

    @Override
    public boolean wantsEmptySnapshotMarkers() {
        return true;
    }

    @Override
    public TypeInformation<SnapshotRow<L>> getProducedType() {
        return SnapshotRow.typeInfo(rows.getProducedType());
    }
}
