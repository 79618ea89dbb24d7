package io.github.posthogflink.connector.sink;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostHogRequestEntrySerializerTest {
    private final PostHogRequestEntrySerializer serializer = new PostHogRequestEntrySerializer();

    private static final PostHogRequestEntry SENDABLE =
            PostHogRequestEntry.of(
                    "35b880cc-3153-5736-b7c5-69cd42bdc922",
                    "order ✓",
                    ("{\"event\":\"order ✓\",\"distinct_id\":\"user-1\",\"properties\":"
                                    + "{\"$lib\":\"posthog-flink\"},"
                                    + "\"uuid\":\"35b880cc-3153-5736-b7c5-69cd42bdc922\"}")
                            .getBytes(StandardCharsets.UTF_8));

    private static final List<PostHogRequestEntry> V1_SNAPSHOT_ENTRIES =
            List.of(
                    SENDABLE,
                    PostHogRequestEntry.rejected(
                            "", "", bytes("{broken"), RejectReason.INVALID_EVENT, "not valid JSON"),
                    PostHogRequestEntry.rejected(
                            "0b0e8a3c-5d2a-5f0e-9a57-1f8c2e7b9d41",
                            "big",
                            bytes("{\"event\":\"big\"}"),
                            RejectReason.OVERSIZED,
                            "event is 2000000 bytes, more than maxRecordSizeInBytes 1048576"),
                    PostHogRequestEntry.rejected(
                            "7d3c1f6e-2b4a-5c8d-8e9f-0a1b2c3d4e5f",
                            "refused",
                            bytes("{\"event\":\"refused\"}"),
                            RejectReason.REJECTED_BY_POSTHOG,
                            "HTTP 400"));

    @Test
    void roundTripsSendableAndRejectedEntries() throws Exception {
        BufferedRequestState<PostHogRequestEntry> back = roundTrip(V1_SNAPSHOT_ENTRIES);

        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactlyElementsOf(V1_SNAPSHOT_ENTRIES);
        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getSize)
                .containsExactly((long) SENDABLE.json().length, 0L, 0L, 0L);
        assertThat(serializer.getVersion()).isEqualTo(2);
    }

    /** An entry whose uuid is read from its JSON is stored as one given its uuid. */
    @Test
    void storesAnEntryWhoseUuidIsInItsJson() throws Exception {
        byte[] json = SENDABLE.json();
        PostHogRequestEntry fromJson =
                PostHogRequestEntry.withUuidAt("order ✓", json, json.length - 38);

        assertThat(fromJson).isEqualTo(SENDABLE);
        assertThat(roundTrip(List.of(fromJson)).getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(SENDABLE);
    }

    @Test
    void keepsEventNamesAndRejectDetailsOver64KiB() throws Exception {
        // writeUTF (version 1) cannot write strings over 65,535 bytes: every checkpoint failed.
        String longName = "e".repeat(70_000);
        String longDetail = "ü".repeat(40_000); // 80,000 bytes of UTF-8
        List<PostHogRequestEntry> entries =
                List.of(
                        PostHogRequestEntry.of(
                                "35b880cc-3153-5736-b7c5-69cd42bdc922",
                                longName,
                                bytes("{\"event\":\"" + longName + "\"}")),
                        PostHogRequestEntry.rejected(
                                "",
                                longName,
                                bytes("{}"),
                                RejectReason.REJECTED_BY_POSTHOG,
                                longDetail));

        assertThat(roundTrip(entries).getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactlyElementsOf(entries);
    }

    @Test
    void restoresTheCheckedInVersion1Snapshot() throws Exception {
        // Written by the version-1 serializer (writeUTF, reasons by ordinal) before version 2.
        byte[] v1;
        try (InputStream in =
                getClass().getResourceAsStream("/sink/posthog-request-entries-v1.bin")) {
            v1 = in.readAllBytes();
        }

        BufferedRequestState<PostHogRequestEntry> restored = serializer.deserialize(1, v1);

        assertThat(restored.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactlyElementsOf(V1_SNAPSHOT_ENTRIES);
        assertThat(restored.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getSize)
                .containsExactly((long) SENDABLE.json().length, 0L, 0L, 0L);
    }

    @Test
    void storesReasonsByTheirStableCode() throws Exception {
        byte[] state = serializer.serialize(state(List.of(V1_SNAPSHOT_ENTRIES.get(3))));

        assertThat(new String(state, StandardCharsets.ISO_8859_1)).contains("posthog_rejected");
        assertThat(RejectReason.fromCode("posthog_oversized")).isEqualTo(RejectReason.OVERSIZED);
        assertThat(RejectReason.fromCode("posthog_invalid_event"))
                .isEqualTo(RejectReason.INVALID_EVENT);
    }

    @Test
    void refusesUnknownVersionsAndCorruptReasons() throws Exception {
        byte[] state = serializer.serialize(state(List.of(V1_SNAPSHOT_ENTRIES.get(3))));
        assertThatThrownBy(() -> serializer.deserialize(3, state))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 3");

        byte[] corrupt = Arrays.copyOf(state, state.length);
        String text = new String(corrupt, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("posthog_rejected");
        corrupt[at] = 'X';
        assertThatThrownBy(() -> serializer.deserialize(2, corrupt))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Xosthog_rejected");
    }

    private BufferedRequestState<PostHogRequestEntry> roundTrip(List<PostHogRequestEntry> entries)
            throws IOException {
        return serializer.deserialize(
                serializer.getVersion(), serializer.serialize(state(entries)));
    }

    private static BufferedRequestState<PostHogRequestEntry> state(
            List<PostHogRequestEntry> entries) {
        return new BufferedRequestState<>(
                entries.stream().map(e -> new RequestEntryWrapper<>(e, e.sizeInBytes())).toList());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
