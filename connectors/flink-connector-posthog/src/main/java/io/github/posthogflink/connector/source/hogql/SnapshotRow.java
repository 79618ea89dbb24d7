package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import javax.annotation.Nullable;

import java.util.Map;
import java.util.Objects;

/**
 * One row of a versioned snapshot with its place in the poll: {@code count} rows make version
 * {@code version}; a poll with no rows arrives as one row with {@code count} 0 and {@code row}
 * null. A POJO, so Flink serializes it without Kryo.
 */
@PublicEvolving
public final class SnapshotRow<L> {
    public long version;
    public int index;
    public int count;
    @Nullable public L row;

    public SnapshotRow() {}

    public SnapshotRow(long version, int index, int count, @Nullable L row) {
        this.version = version;
        this.index = index;
        this.count = count;
        this.row = row;
    }

    /** The POJO type information for snapshot rows of {@code rowType}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <L> TypeInformation<SnapshotRow<L>> typeInfo(TypeInformation<L> rowType) {
        return (TypeInformation)
                Types.POJO(
                        SnapshotRow.class,
                        Map.of(
                                "version", Types.LONG,
                                "index", Types.INT,
                                "count", Types.INT,
                                "row", rowType));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRow<?> other
                && version == other.version
                && index == other.index
                && count == other.count
                && Objects.equals(row, other.row);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, index, count, row);
    }

    @Override
    public String toString() {
        return "SnapshotRow{v" + version + " " + index + "/" + count + " " + row + "}";
    }
}
