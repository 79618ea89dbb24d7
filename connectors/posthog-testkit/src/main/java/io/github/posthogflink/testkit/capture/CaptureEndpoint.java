package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Bodies;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * PostHog's capture routes: {@code /i/v0/e/}, {@code /e/}, {@code /capture/}, {@code /batch/}... An
 * event too large for PostHog's Kafka producer makes the request a 413 while the request's other
 * events are stored, as {@code rust/capture}'s sink produces each event on its own and answers the
 * first failure. A project over its events quota gets {@code 200 {"status":"Ok"}} and nothing is
 * stored.
 */
public final class CaptureEndpoint {
    /** 20 MB after decompression for {@code /batch/}. */
    public static final long BATCH_LIMIT = 20L * 1024 * 1024;

    /** 2 MB after decompression for single-event routes. */
    public static final long EVENT_LIMIT = 2L * 1024 * 1024;

    public static final String ROUTES = "/(?<route>i/v0/e|e|capture|track|engage|batch)/?";

    private final String projectApiKey;
    private final CaptureParser parser;
    private final TimestampResolver timestamps;
    private final CaptureStorage storage;

    public CaptureEndpoint(
            String projectApiKey, TimestampResolver timestamps, CaptureStorage storage) {
        this.projectApiKey = projectApiKey;
        this.timestamps = timestamps;
        this.parser = new CaptureParser(timestamps);
        this.storage = storage;
    }

    public void register(Router router) {
        router.add("POST", ROUTES, this::capture);
    }

    private Response capture(Request request) {
        String route = request.pathGroup("route");
        long limit = "batch".equals(route) ? BATCH_LIMIT : EVENT_LIMIT;
        try {
            Bodies.Decoded body = formData(request, Bodies.decodeReusing(request, limit));
            Instant now = timestamps.now();
            CaptureParser.Parsed parsed =
                    parser.parse(body.bytes(), body.length(), "/" + route + "/", now);
            checkToken(parsed.token());
            Response ok = Response.json(200, Json.object().put("status", "Ok"));
            if (storage.quotaLimited()) {
                // rust/capture answers OK so that clients do not retry, and drops the events.
                return ok;
            }
            storage.store(parsed.events());
            if (parsed.oversized() > 0) {
                return Response.text(
                        413, "maximum event size exceeded: Event rejected by kafka during send");
            }
            return ok;
        } catch (Bodies.TooLargeException e) {
            return Response.text(413, "payload too large");
        } catch (IOException e) {
            return Response.text(400, "failed to decode request: invalid gzip body");
        } catch (CaptureRejection e) {
            return Response.text(e.status(), e.getMessage());
        }
    }

    private void checkToken(String token) throws CaptureRejection {
        if (token == null) {
            throw new CaptureRejection(401, "event submitted without an api_key");
        }
        if (token.startsWith("phx_")) {
            throw new CaptureRejection(
                    401,
                    "API key is not valid: a personal API key; capture takes the project API key");
        }
        if (!token.equals(projectApiKey)) {
            // rust/capture with known-token validation enforced (known_tokens.rs): a 401 naming the
            // project API key; without it PostHog answers 200 and drops the events later.
            throw new CaptureRejection(
                    401, "API key is not valid: it is not the project API key of any project");
        }
    }

    /** Old SDKs post {@code data=<base64 or JSON>} as a form. */
    private static Bodies.Decoded formData(Request request, Bodies.Decoded body) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return body;
        }
        List<String> values =
                Request.parseQuery(
                                new String(body.bytes(), 0, body.length(), StandardCharsets.UTF_8))
                        .get("data");
        if (values == null || values.isEmpty()) {
            return body;
        }
        String data = values.get(0);
        String trimmed = data.trim();
        byte[] decoded;
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            decoded = trimmed.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                decoded = Base64.getDecoder().decode(trimmed);
            } catch (IllegalArgumentException e) {
                decoded = trimmed.getBytes(StandardCharsets.UTF_8);
            }
        }
        return new Bodies.Decoded(decoded, decoded.length);
    }
}
