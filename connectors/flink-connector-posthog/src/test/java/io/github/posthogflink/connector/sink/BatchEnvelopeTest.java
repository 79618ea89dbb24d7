package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEnvelopeTest {

    private static PostHogRequestEntry entry(String json) {
        return PostHogRequestEntry.of("u", "e", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void joinsEventJsonIntoTheBatchArray() {
        byte[] body =
                new BatchEnvelope("phc_k\"ey", false)
                        .build(List.of(entry("{\"a\":1}"), entry("{\"b\":\"ü\"}")));
        JsonNode node = Json.tree(body);

        assertThat(node.get("api_key").asText()).isEqualTo("phc_k\"ey");
        assertThat(node.has("historical_migration")).isFalse();
        assertThat(node.has("sent_at")).isFalse();
        assertThat(node.get("batch")).hasSize(2);
        assertThat(node.at("/batch/1/b").asText()).isEqualTo("ü");
    }

    @Test
    void writesIntoALargerReusedBufferTheSameBytes() {
        BatchEnvelope envelope = new BatchEnvelope("phc_x", false);
        List<PostHogRequestEntry> entries = List.of(entry("{\"a\":1}"), entry("{\"b\":2}"));
        byte[] buffer = new byte[1_000];
        java.util.Arrays.fill(buffer, (byte) 'x');

        int length = envelope.write(entries, buffer);

        assertThat(length).isEqualTo(envelope.size(entries));
        assertThat(java.util.Arrays.copyOf(buffer, length)).isEqualTo(envelope.build(entries));
    }

    @Test
    void marksHistoricalMigration() {
        JsonNode node =
                Json.tree(new BatchEnvelope("phc_x", true).build(List.of(entry("{\"a\":1}"))));
        assertThat(node.get("historical_migration").asBoolean()).isTrue();
        assertThat(node.get("batch")).hasSize(1);
    }
}
