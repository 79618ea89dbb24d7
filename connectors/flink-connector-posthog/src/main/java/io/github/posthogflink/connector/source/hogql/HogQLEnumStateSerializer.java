package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes {@link HogQLEnumState}: a flag and the unassigned splits. */
final class HogQLEnumStateSerializer implements SimpleVersionedSerializer<HogQLEnumState> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(HogQLEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(state.created());
            out.writeInt(state.unassigned().size());
            for (HogQLSplit split : state.unassigned()) {
                byte[] b = HogQLSplitSerializer.INSTANCE.serialize(split);
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public HogQLEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("Unknown HogQLEnumState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            boolean created = in.readBoolean();
            int n = in.readInt();
            List<HogQLSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                splits.add(
                        HogQLSplitSerializer.INSTANCE.deserialize(
                                HogQLSplitSerializer.INSTANCE.getVersion(), b));
            }
            return new HogQLEnumState(splits, created);
        }
    }
}
