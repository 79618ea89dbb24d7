package io.github.posthogflink.connector.table;

import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryArrayData;
import org.apache.flink.table.data.binary.BinaryMapData;
import org.apache.flink.table.data.writer.BinaryArrayWriter;

import java.util.Map;

/**
 * {@code MAP<STRING, STRING>} values in Flink's binary layout, for lookup results.
 *
 * <p>An async lookup join copies each result row with one serializer that all completing threads
 * share. Its copy of a {@code GenericMapData} goes through reused buffers, so two lookups
 * completing at once can swap entries between their maps. A {@link BinaryMapData} is copied without
 * those buffers.
 */
final class StringMapData {
    private static final int SLOT_BYTES = 8;

    private StringMapData() {}

    /** The map, null values kept as SQL NULL. */
    static MapData of(Map<String, String> entries) {
        int size = entries.size();
        BinaryArrayData keys = new BinaryArrayData();
        BinaryArrayData values = new BinaryArrayData();
        BinaryArrayWriter keyWriter = new BinaryArrayWriter(keys, size, SLOT_BYTES);
        BinaryArrayWriter valueWriter = new BinaryArrayWriter(values, size, SLOT_BYTES);
        int i = 0;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            keyWriter.writeString(i, StringData.fromString(entry.getKey()));
            if (entry.getValue() == null) {
                valueWriter.setNullAt(i);
            } else {
                valueWriter.writeString(i, StringData.fromString(entry.getValue()));
            }
            i++;
        }
        keyWriter.complete();
        valueWriter.complete();
        return BinaryMapData.valueOf(keys, values);
    }
}
