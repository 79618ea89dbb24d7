package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes {@link HogQLEnumState}: a flag and the unassigned splits. Version 2 writes each split
 * with its serializer version; version 1 held version-1 splits without one.
 */
final class HogQLEnumStateSerializer implements SimpleVersionedSerializer<HogQLEnumState> {
    static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(HogQLEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(state.created());
            out.writeInt(state.unassigned().size());
            for (HogQLSplit split : state.unassigned()) {
                byte[] b = HogQLSplitSerializer.INSTANCE.serialize(split);
                out.writeInt(HogQLSplitSerializer.INSTANCE.getVersion());
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public HogQLEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("Unknown HogQLEnumState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            boolean created = in.readBoolean();
            int n = in.readInt();
            List<HogQLSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int splitVersion = version == 1 ? 1 : in.readInt();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                splits.add(HogQLSplitSerializer.INSTANCE.deserialize(splitVersion, b));
            }
            return new HogQLEnumState(splits, created);
        }
    }
}
