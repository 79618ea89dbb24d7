package io.github.posthogflink.client.capture;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.github.posthogflink.client.testing.TestClients.PROJECT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureApiTest {
    private static final String OK = "{\"status\":\"Ok\"}";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void captureSendsOneGzippedEventWithTheProjectKeyInTheBodyAndNoAuthorization() {
        server.on("POST", "/i/v0/e/").reply(Reply.json(200, OK));
        UUID uuid = UUID.fromString("01890f3e-4c3a-7d7e-9d4c-5b1d9c0f2a11");
        PostHogEvent event =
                PostHogEvent.builder("order placed", "user-1")
                        .property("amount", 42)
                        .set(Map.of("plan", "pro"))
                        .group("company", "acme")
                        .timestamp(Instant.parse("2026-11-27T10:15:30Z"))
                        .uuid(uuid)
                        .build();

        PostHogClient.await(client.capture().capture(event));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.line()).isEqualTo("POST /i/v0/e/");
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("User-Agent")).startsWith("posthog-flink/");
        assertThat(r.rawBody()).startsWith((byte) 0x1f, (byte) 0x8b);
        JsonNode body = r.json();
        assertThat(body.path("api_key").asText()).isEqualTo(PROJECT_KEY);
        assertThat(body.path("event").asText()).isEqualTo("order placed");
        assertThat(body.path("distinct_id").asText()).isEqualTo("user-1");
        assertThat(body.path("uuid").asText()).isEqualTo(uuid.toString());
        assertThat(body.path("timestamp").asText()).isEqualTo("2026-11-27T10:15:30Z");
        assertThat(body.path("properties").path("amount").asInt()).isEqualTo(42);
        assertThat(body.path("properties").path("$set").path("plan").asText()).isEqualTo("pro");
        assertThat(body.path("properties").path("$groups").path("company").asText())
                .isEqualTo("acme");
        assertThat(body.has("sent_at")).isFalse();
    }

    @Test
    void batchGivesEveryEventAUuidAndSendsTheEnvelope() {
        server.on("POST", "/batch/").reply(Reply.json(200, OK));
        UUID fixed = UUID.randomUUID();
        List<PostHogEvent> events =
                List.of(
                        PostHogEvent.builder("a", "u1").uuid(fixed).build(),
                        PostHogEvent.builder("b", "u2").property("k", "v").build());

        PostHogClient.await(client.capture().batch(events));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.line()).isEqualTo("POST /batch/");
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        JsonNode body = r.json();
        assertThat(body.path("api_key").asText()).isEqualTo(PROJECT_KEY);
        assertThat(body.has("historical_migration")).isFalse();
        JsonNode batch = body.path("batch");
        assertThat(batch).hasSize(2);
        assertThat(batch.get(0).path("uuid").asText()).isEqualTo(fixed.toString());
        assertThat(UUID.fromString(batch.get(1).path("uuid").asText())).isNotNull();
        assertThat(batch.get(1).path("event").asText()).isEqualTo("b");
        assertThat(batch.get(1).path("distinct_id").asText()).isEqualTo("u2");
        assertThat(batch.get(1).path("properties").path("k").asText()).isEqualTo("v");
    }

    @Test
    void historicalBatchSetsTheFlag() {
        server.on("POST", "/batch/").reply(Reply.json(200, OK));

        PostHogClient.await(
                client.capture().batch(List.of(PostHogEvent.builder("a", "u1").build()), true));

        assertThat(server.onlyRequest().json().path("historical_migration").asBoolean()).isTrue();
    }

    @Test
    void batchRawSendsTheBytesAsGiven() {
        server.on("POST", "/batch/").reply(Reply.json(200, OK));
        String envelope =
                "{\"api_key\":\""
                        + PROJECT_KEY
                        + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\","
                        + "\"uuid\":\"0190a1b2-0000-7000-8000-000000000001\"}]}";

        PostHogClient.await(client.capture().batchRaw(envelope.getBytes(StandardCharsets.UTF_8)));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.bodyText()).isEqualTo(envelope);
    }

    @Test
    void aRawBatchWithoutUuidsIsNotRetriedAfterA503() {
        server.on("POST", "/batch/").reply(Reply.status(503), Reply.json(200, OK));

        assertThatThrownBy(
                        () ->
                                PostHogClient.await(
                                        client.capture().batchRaw(envelopeWithoutUuid(), false)))
                .hasMessageContaining("503");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aRawBatchWithoutUuidsIsRetriedAfterA429WhichPostHogRefused() {
        server.on("POST", "/batch/").reply(Reply.status(429), Reply.json(200, OK));

        PostHogClient.await(client.capture().batchRaw(envelopeWithoutUuid(), false));

        assertThat(server.requests()).hasSize(2);
    }

    private static byte[] envelopeWithoutUuid() {
        return ("{\"api_key\":\""
                        + PROJECT_KEY
                        + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void gzipOffSendsPlainJson() {
        server.on("POST", "/batch/").reply(Reply.json(200, OK));
        try (PostHogClient plain =
                PostHogClient.create(TestClients.config(server).gzip(false).build())) {
            PostHogClient.await(
                    plain.capture().batch(List.of(PostHogEvent.builder("a", "u1").build())));
        }

        RecordedRequest r = server.onlyRequest();
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.rawBody()).isEqualTo(r.body());
        assertThat(r.json().path("api_key").asText()).isEqualTo(PROJECT_KEY);
    }

    @Test
    void aRetriedBatchResendsTheSameUuidsAndTimestamps() {
        server.on("POST", "/batch/").reply(Reply.status(503), Reply.json(200, OK));

        PostHogClient.await(
                client.capture()
                        .batch(
                                List.of(
                                        PostHogEvent.builder("a", "u1")
                                                .timestamp(Instant.parse("2026-01-01T00:00:00Z"))
                                                .build())));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).bodyText()).isEqualTo(sent.get(0).bodyText());
        assertThat(sent.get(0).json().path("batch").get(0).path("uuid").asText()).isNotEmpty();
    }
}
