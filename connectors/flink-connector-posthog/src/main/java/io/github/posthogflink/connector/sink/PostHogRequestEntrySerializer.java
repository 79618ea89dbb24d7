package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoint format of the buffered entries, inside AsyncSink's framing ({@code -1L}, entry count,
 * then per entry its size and the entry).
 *
 * <ul>
 *   <li>Version 2 (written): uuid, event name and JSON as length-prefixed bytes ({@code int}
 *       length, UTF-8), then the reject reason as its {@link RejectReason#code() code}
 *       (length-prefixed, empty for none) and, when rejected, the detail (length-prefixed). No
 *       field has a size limit below the 2 GiB of a Java array.
 *   <li>Version 1 (read only): uuid and event name as {@code writeUTF} (so at most 64 KiB), JSON
 *       length and bytes, the reason's ordinal as a byte (-1 for none; 0 oversized, 1 invalid, 2
 *       rejected by PostHog) and, when rejected, the detail as {@code writeUTF}.
 * </ul>
 *
 * <p>Flink's {@link AsyncSinkWriterStateSerializer} does not pass the version to the entry reader,
 * so {@link #deserialize} reads the framing itself and dispatches on the version.
 */
@Internal
public final class PostHogRequestEntrySerializer
        extends AsyncSinkWriterStateSerializer<PostHogRequestEntry> {
    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;

    /** AsyncSink's marker in front of the entries. */
    private static final long DATA_IDENTIFIER = -1;

    /** Version 1 stored the enum's ordinal; these were the constants in that order. */
    private static final RejectReason[] V1_REASONS = {
        RejectReason.OVERSIZED, RejectReason.INVALID_EVENT, RejectReason.REJECTED_BY_POSTHOG
    };

    @Override
    public int getVersion() {
        return VERSION_2;
    }

    @Override
    protected void serializeRequestToStream(PostHogRequestEntry entry, DataOutputStream out)
            throws IOException {
        writeBytes(out, entry.uuid().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, entry.event().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, entry.json());
        RejectReason reason = entry.rejectReason();
        writeBytes(
                out, reason == null ? new byte[0] : reason.code().getBytes(StandardCharsets.UTF_8));
        if (reason != null) {
            String detail = entry.rejectDetail() == null ? "" : entry.rejectDetail();
            writeBytes(out, detail.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    protected PostHogRequestEntry deserializeRequestFromStream(long size, DataInputStream in)
            throws IOException {
        return readV2(in);
    }

    @Override
    public BufferedRequestState<PostHogRequestEntry> deserialize(int version, byte[] serialized)
            throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw new IOException(
                    "Unknown version "
                            + version
                            + " of the PostHog sink's state (this sink reads versions 1 and 2)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            if (in.readLong() != DATA_IDENTIFIER) {
                throw new IOException("Corrupted PostHog sink state: no AsyncSink data marker");
            }
            int count = in.readInt();
            List<RequestEntryWrapper<PostHogRequestEntry>> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long size = in.readLong();
                PostHogRequestEntry entry = version == VERSION_1 ? readV1(in) : readV2(in);
                entries.add(new RequestEntryWrapper<>(entry, size));
            }
            return new BufferedRequestState<>(entries);
        }
    }

    private static PostHogRequestEntry readV2(DataInputStream in) throws IOException {
        String uuid = readString(in);
        String event = readString(in);
        byte[] json = readBytes(in);
        String reason = readString(in);
        if (reason.isEmpty()) {
            return PostHogRequestEntry.of(uuid, event, json);
        }
        RejectReason known;
        try {
            known = RejectReason.fromCode(reason);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupted PostHog sink state: " + e.getMessage(), e);
        }
        return PostHogRequestEntry.rejected(uuid, event, json, known, readString(in));
    }

    private static PostHogRequestEntry readV1(DataInputStream in) throws IOException {
        String uuid = in.readUTF();
        String event = in.readUTF();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        int reason = in.readByte();
        if (reason < 0) {
            return PostHogRequestEntry.of(uuid, event, json);
        }
        if (reason >= V1_REASONS.length) {
            throw new IOException("Corrupted PostHog sink state: reject reason " + reason);
        }
        return PostHogRequestEntry.rejected(uuid, event, json, V1_REASONS[reason], in.readUTF());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupted PostHog sink state: negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
