package io.github.posthogflink.connector.sink;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostHogRequestEntrySerializerTest {

    @Test
    void roundTripsSendableAndRejectedEntries() throws Exception {
        PostHogRequestEntry sendable =
                PostHogRequestEntry.of(
                        "35b880cc-3153-5736-b7c5-69cd42bdc922",
                        "order ✓",
                        "{\"event\":\"order ✓\"}".getBytes(StandardCharsets.UTF_8));
        PostHogRequestEntry rejected =
                PostHogRequestEntry.rejected(
                        "",
                        "",
                        "{broken".getBytes(StandardCharsets.UTF_8),
                        RejectReason.INVALID_EVENT,
                        "not valid JSON");
        BufferedRequestState<PostHogRequestEntry> state =
                new BufferedRequestState<>(
                        List.of(
                                new RequestEntryWrapper<>(sendable, sendable.sizeInBytes()),
                                new RequestEntryWrapper<>(rejected, rejected.sizeInBytes())));
        PostHogRequestEntrySerializer serializer = new PostHogRequestEntrySerializer();

        BufferedRequestState<PostHogRequestEntry> back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(sendable, rejected);
        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getSize)
                .containsExactly((long) sendable.json().length, 0L);
        assertThat(back.getStateSize()).isEqualTo(state.getStateSize());
    }
}
