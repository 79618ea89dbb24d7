package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Splits as JSON: the cursor, version and (for changelogs) the previous rows. */
final class HogQLSplitSerializer implements SimpleVersionedSerializer<HogQLSplit> {
    static final HogQLSplitSerializer INSTANCE = new HogQLSplitSerializer();
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Stored(
            String splitId,
            String cursorTimestamp,
            String cursorUuid,
            long version,
            String until,
            Map<String, List<Object>> previousRows) {}

    @Override
    public int getVersion() {
        return 1;
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
                        split.previousRows()));
    }

    @Override
    public HogQLSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("Unknown HogQLSplit serializer version " + version);
        }
        Stored s = MAPPER.readValue(serialized, new TypeReference<Stored>() {});
        return new HogQLSplit(
                s.splitId(),
                s.cursorTimestamp(),
                s.cursorUuid(),
                s.version(),
                s.until(),
                s.previousRows());
    }
}
