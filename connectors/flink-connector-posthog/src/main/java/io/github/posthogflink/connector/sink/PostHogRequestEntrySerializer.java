package io.github.posthogflink.connector.sink;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpoint format of the buffered entries. Version 1: uuid (UTF), event (UTF), JSON length and
 * bytes, reject reason ordinal (-1 for none) and detail (UTF, when rejected).
 */
public final class PostHogRequestEntrySerializer
        extends AsyncSinkWriterStateSerializer<PostHogRequestEntry> {
    private static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(PostHogRequestEntry entry, DataOutputStream out)
            throws IOException {
        out.writeUTF(entry.uuid());
        out.writeUTF(entry.event());
        out.writeInt(entry.json().length);
        out.write(entry.json());
        RejectReason reason = entry.rejectReason();
        out.writeByte(reason == null ? -1 : reason.ordinal());
        if (reason != null) {
            out.writeUTF(entry.rejectDetail() == null ? "" : entry.rejectDetail());
        }
    }

    @Override
    protected PostHogRequestEntry deserializeRequestFromStream(long size, DataInputStream in)
            throws IOException {
        String uuid = in.readUTF();
        String event = in.readUTF();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        int reason = in.readByte();
        if (reason < 0) {
            return PostHogRequestEntry.of(uuid, event, json);
        }
        return PostHogRequestEntry.rejected(
                uuid, event, json, RejectReason.values()[reason], in.readUTF());
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
