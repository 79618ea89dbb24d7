package io.github.posthogflink.client.capture;

import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.HttpTransport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * PostHog's public capture endpoints: {@code /i/v0/e/} and {@code /batch/}. The project key goes in
 * the body. Events without a uuid get a random one before the first attempt, so retries are
 * collapsed by PostHog. No {@code sent_at} is sent: it would shift stored timestamps.
 */
public final class CaptureApi {
    private final HttpTransport transport;

    public CaptureApi(HttpTransport transport) {
        this.transport = transport;
    }

    /** Sends one event to {@code /i/v0/e/}. */
    public CompletableFuture<Void> capture(PostHogEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_key", projectKey());
        PostHogEvent withUuid = ensureUuid(event);
        body.put("event", withUuid.event());
        body.put("distinct_id", withUuid.distinctId());
        body.put("properties", withUuid.properties());
        if (withUuid.timestamp() != null) {
            body.put("timestamp", withUuid.timestamp());
        }
        body.put("uuid", withUuid.uuid());
        return sendCapture("/i/v0/e/", body);
    }

    /** Sends events to {@code /batch/}. */
    public CompletableFuture<Void> batch(List<PostHogEvent> events) {
        return batch(events, false);
    }

    /**
     * Sends events to {@code /batch/}; {@code historicalMigration} routes them to PostHog's
     * historical pipeline (for backfills older than 48 h).
     */
    public CompletableFuture<Void> batch(List<PostHogEvent> events, boolean historicalMigration) {
        List<PostHogEvent> withUuids = new ArrayList<>(events.size());
        for (PostHogEvent e : events) {
            withUuids.add(ensureUuid(e));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_key", projectKey());
        if (historicalMigration) {
            body.put("historical_migration", true);
        }
        body.put("batch", withUuids);
        return sendCapture("/batch/", body);
    }

    /**
     * Sends a batch body that is already serialized JSON (an envelope with {@code api_key} and
     * {@code batch}) whose every event has a {@code uuid}, as the Flink sink's do: a retry is then
     * deduplicated by PostHog, so failures are retried like any capture.
     */
    public CompletableFuture<Void> batchRaw(byte[] envelopeJson) {
        return batchRaw(envelopeJson, true);
    }

    /**
     * Sends a serialized batch envelope. Without uuids on every event ({@code everyEventHasUuid}
     * false) a request that may have reached PostHog (a timeout, a 5xx) is not retried, since a
     * retry could store its events twice; only a 429, which PostHog refused, is.
     */
    public CompletableFuture<Void> batchRaw(byte[] envelopeJson, boolean everyEventHasUuid) {
        return sendCapture("/batch/", envelopeJson, everyEventHasUuid);
    }

    private CompletableFuture<Void> sendCapture(String path, Object body) {
        return sendCapture(path, body, true);
    }

    private CompletableFuture<Void> sendCapture(String path, Object body, boolean retrySafe) {
        ApiRequest request =
                ApiRequest.of("POST", ApiRequest.Host.INGESTION, path)
                        .jsonBody(body)
                        .gzip(transport.config().gzip())
                        .retrySafe(retrySafe);
        return transport.send(request).thenApply(r -> null);
    }

    private String projectKey() {
        String key = transport.config().projectApiKey();
        if (key == null) {
            throw new IllegalStateException("Capture needs a project API key (phc_...)");
        }
        return key;
    }

    private static PostHogEvent ensureUuid(PostHogEvent event) {
        return event.uuid() != null ? event : event.withUuid(UUID.randomUUID());
    }
}
