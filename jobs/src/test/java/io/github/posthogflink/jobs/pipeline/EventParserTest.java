package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.jobs.io.RawRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventParserTest {

    @Test
    void derivesTheUuidFromTheSourcePosition() throws Exception {
        PipelineEvent event =
                EventParser.parse(
                        record("{\"event\":\"e\",\"properties\":{\"distinct_id\":\"u1\"}}", "p:1"));
        assertThat(event.distinctId()).isEqualTo("u1");
        assertThat(event.uuid()).isEqualTo(EventUuids.fromIdentity("p:1").toString());
        assertThat(event.json()).contains("\"distinct_id\":\"u1\"", event.uuid());
    }

    @Test
    void keepsAValidUuidInLowerCase() throws Exception {
        PipelineEvent event =
                EventParser.parse(
                        record(
                                "{\"event\":\"e\",\"distinct_id\":7,"
                                        + "\"uuid\":\"0190A3B4-1C2D-7E8F-9A0B-1C2D3E4F5A6B\"}",
                                "p:2"));
        assertThat(event.uuid()).isEqualTo("0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b");
        assertThat(event.distinctId()).isEqualTo("7");
    }

    @Test
    void rejectsWithAReason() {
        assertReason(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "invalid_utf8");
        assertReason("{\"event\":", "invalid_json");
        assertReason("[1,2]", "invalid_json");
        assertReason("{\"distinct_id\":\"u\"}", "missing_event");
        assertReason("{\"event\":\"\",\"distinct_id\":\"u\"}", "missing_event");
        assertReason("{\"event\":\"e\",\"properties\":{}}", "missing_distinct_id");
        assertReason("{\"event\":\"e\",\"distinct_id\":\"  \"}", "missing_distinct_id");
        assertReason("{\"event\":\"e\",\"distinct_id\":\"u\",\"uuid\":\"x\"}", "invalid_uuid");
    }

    @Test
    void twoObjectsOnOneLineAreDeadLetteredNotHalfRead() {
        assertReason(
                "{\"event\":\"a\",\"distinct_id\":\"u\"} {\"event\":\"b\",\"distinct_id\":\"u\"}",
                "invalid_json");
    }

    @Test
    void deadLettersKeepThePayloadAndPosition() {
        String utf8 = EventParser.deadLetter(record("{oops", "file:a:3"), "invalid_json", "d");
        assertThat(utf8)
                .contains("\"reason\":\"invalid_json\"", "\"source\":\"file:a:3\"")
                .contains("\"payload\":\"{oops\"");
        String binary =
                EventParser.deadLetter(
                        new RawRecord(new byte[] {(byte) 0xFF}, "file:a:4"), "invalid_utf8", "d");
        assertThat(binary).contains("\"payload_base64\":\"/w==\"");
    }

    private static void assertReason(String payload, String reason) {
        assertReason(payload.getBytes(StandardCharsets.UTF_8), reason);
    }

    private static void assertReason(byte[] payload, String reason) {
        assertThatThrownBy(() -> EventParser.parse(new RawRecord(payload, "p:9")))
                .isInstanceOfSatisfying(
                        EventParser.Rejected.class, r -> assertThat(r.reason).isEqualTo(reason));
    }

    private static RawRecord record(String json, String position) {
        return new RawRecord(json.getBytes(StandardCharsets.UTF_8), position);
    }
}
