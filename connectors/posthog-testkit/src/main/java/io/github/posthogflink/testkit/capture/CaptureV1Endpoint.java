package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Capture v1, {@code POST /i/v1/analytics/events} ({@code rust/capture/src/v1/analytics}): the
 * project key as Bearer, {@code PostHog-Sdk-Info}, {@code PostHog-Attempt}, {@code
 * PostHog-Request-Id} and {@code PostHog-Request-Timestamp} headers, a body {@code {"created_at",
 * "batch": [{"event", "uuid", "distinct_id", "timestamp", "session_id"?, "window_id"?, "options"?,
 * "properties"?}], "historical_migration"?}}, and a verdict per event: {@code 200 {"results":
 * {uuid: {"result": "ok"|"warning"|"drop"|"retry", "details"?}}}}. Whole-request refusals are
 * {@link V1Error}s; a spent events quota is a 429.
 */
public final class CaptureV1Endpoint {
    public static final String ROUTE = "/i/v1/analytics/events/?";

    /** The route as stored in {@link CapturedEvent#route()}. */
    static final String STORED_ROUTE = "/i/v1/analytics/events";

    /** {@code CAPTURE_V1_MAX_COMPRESSED_BODY_BYTES} and the decompressed cap. */
    static final long MAX_COMPRESSED_BYTES = 10L * 1024 * 1024;

    static final long MAX_DECOMPRESSED_BYTES = 50L * 1024 * 1024;

    private final String projectApiKey;
    private final TimestampResolver timestamps;
    private final CaptureStorage storage;

    public CaptureV1Endpoint(
            String projectApiKey, TimestampResolver timestamps, CaptureStorage storage) {
        this.projectApiKey = projectApiKey;
        this.timestamps = timestamps;
        this.storage = storage;
    }

    public void register(Router router) {
        router.post(ROUTE, this::capture);
    }

    private Response capture(Request request) {
        try {
            return handle(request);
        } catch (V1Error e) {
            return e.toResponse();
        }
    }

    private Response handle(Request request) throws V1Error {
        V1Headers headers = V1Headers.read(request, projectApiKey);
        byte[] body = decode(headers.encoding(), request.body());
        if (body.length == 0) {
            throw V1Error.emptyBody();
        }
        CaptureBody read;
        try {
            read = CaptureBody.read(body, body.length);
        } catch (IOException e) {
            throw V1Error.requestParsing();
        }
        JsonNode envelope = read.envelope;
        if (read.shape != CaptureBody.Shape.BATCH
                || envelope.has("batch")
                || !envelope.path("created_at").isTextual()
                || !isOptionalBoolean(envelope.get("historical_migration"))
                || !isOptionalBoolean(envelope.get("capture_internal"))) {
            throw V1Error.requestParsing();
        }
        List<JsonNode> trees = new ArrayList<>(read.events.size());
        for (int i = 0; i < read.events.size(); i++) {
            trees.add(eventTree(read, i));
        }
        for (JsonNode raw : trees) {
            V1Event.checkFields(raw);
        }
        if (trees.isEmpty()) {
            throw V1Error.emptyBatch();
        }
        String createdAt = envelope.get("created_at").asText();
        if (V1Headers.parseRfc3339(createdAt) == null) {
            throw V1Error.invalidBatch("created_at is not valid RFC 3339: " + createdAt);
        }
        List<V1Event> events = new ArrayList<>(trees.size());
        Set<UUID> seen = new HashSet<>();
        for (JsonNode raw : trees) {
            V1Event event = V1Event.read(raw);
            if (!seen.add(event.uuid)) {
                throw V1Error.duplicateEventUuid(event.wireUuid);
            }
            events.add(event);
        }
        Instant now = timestamps.now();
        boolean historical = envelope.path("historical_migration").asBoolean(false);
        for (V1Event event : events) {
            event.validate(headers, now, historical, STORED_ROUTE);
        }
        if (events.stream().noneMatch(V1Event::accepted)) {
            return results(events);
        }
        if (storage.quotaLimited()) {
            throw V1Error.billingLimitExceeded();
        }
        List<CapturedEvent> accepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            V1Event event = events.get(i);
            if (!event.accepted()) {
                continue;
            }
            if (read.messageSize(i) > CaptureParser.EVENT_MESSAGE_LIMIT) {
                // The Kafka producer refuses it: a fatal sink result, dropped as event_too_big.
                event.drop("event_too_big");
                continue;
            }
            accepted.add(event.stored);
        }
        storage.store(accepted);
        return results(events);
    }

    private static JsonNode eventTree(CaptureBody read, int index) throws V1Error {
        try {
            return read.eventTree(index);
        } catch (IOException e) {
            throw V1Error.requestParsing();
        }
    }

    private static boolean isOptionalBoolean(JsonNode value) {
        return value == null || value.isNull() || value.isBoolean();
    }

    /** {@code {"results": {uuid: {"result", "details"?}}}} in batch order. */
    private static Response results(List<V1Event> events) {
        ObjectNode body = Json.object();
        ObjectNode results = body.putObject("results");
        for (V1Event event : events) {
            ObjectNode entry = results.putObject(event.uuid.toString());
            entry.put("result", event.result);
            if (event.details != null) {
                entry.put("details", event.details);
            }
        }
        return Response.json(200, body);
    }

    /** The body decompressed per {@code Content-Encoding}, within v1's caps. */
    private static byte[] decode(String encoding, byte[] raw) throws V1Error {
        if (raw.length > MAX_COMPRESSED_BYTES) {
            throw V1Error.payloadTooLarge(
                    "body exceeds " + MAX_COMPRESSED_BYTES + " bytes before decompression");
        }
        if (encoding == null) {
            return raw;
        }
        if (!encoding.equals("gzip") && !encoding.equals("deflate")) {
            // Accepted by PostHog, but the testkit cannot decode brotli or zstd.
            throw V1Error.unsupportedEncoding(encoding + " (not decoded by the testkit)");
        }
        try (InputStream in =
                encoding.equals("gzip")
                        ? new GZIPInputStream(new ByteArrayInputStream(raw))
                        : new InflaterInputStream(new ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
            byte[] buffer = new byte[16384];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_DECOMPRESSED_BYTES) {
                    throw V1Error.payloadTooLarge(
                            "body exceeds " + MAX_DECOMPRESSED_BYTES + " bytes decompressed");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw V1Error.requestDecoding();
        }
    }
}
