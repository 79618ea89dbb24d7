package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Splits as JSON: the cursor, version, (for changelogs) the previous rows and, from version 2, the
 * rows emitted. Version 1 reads with {@code rowsEmitted} 0.
 */
final class HogQLSplitSerializer implements SimpleVersionedSerializer<HogQLSplit> {
    static final HogQLSplitSerializer INSTANCE = new HogQLSplitSerializer();
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int VERSION = 2;

    record Stored(
            String splitId,
            String cursorTimestamp,
            String cursorUuid,
            long version,
            String until,
            Map<String, List<Object>> previousRows,
            long rowsEmitted) {}

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(HogQLSplit split) throws IOException {
        return MAPPER.writeValueAsBytes(
                new Stored(
                        split.splitId(),
                        split.cursorTimestamp(),
                        split.cursorUuid(),
                        split.version(),
                        split.until(),
                        split.previousRows(),
                        split.rowsEmitted()));
    }

    @Override
    public HogQLSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("Unknown HogQLSplit serializer version " + version);
        }
        Stored s = MAPPER.readValue(serialized, new TypeReference<Stored>() {});
        return new HogQLSplit(
                s.splitId(),
                s.cursorTimestamp(),
                s.cursorUuid(),
                s.version(),
                s.until(),
                s.previousRows(),
                s.rowsEmitted());
    }
}
