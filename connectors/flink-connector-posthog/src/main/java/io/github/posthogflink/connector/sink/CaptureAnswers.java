package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.http.ApiResponse;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.http.Secrets;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * Tells PostHog's answer to a capture request from anything else that answers 2xx (a proxy's or a
 * wrong host's HTML page): capture answers {@code {"status":"Ok"}}, possibly with {@code
 * quota_limited} (PostHog/posthog {@code rust/capture/src/api.rs}, {@code CaptureResponse}); the
 * older Django capture answered {@code {"status":1}}. Anything else must not count as delivered.
 */
final class CaptureAnswers {
    /** How much of an unexpected answer a message quotes. */
    static final int EXCERPT_CHARS = 120;

    private CaptureAnswers() {}

    /** Whether a 2xx body is capture's answer. */
    static boolean isCaptureAnswer(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return false;
        }
        JsonNode status;
        try {
            status = Json.MAPPER.readTree(body).get("status");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        return status != null
                && ((status.isTextual() && status.asText().equalsIgnoreCase("ok"))
                        || (status.isIntegralNumber() && status.asInt() == 1));
    }

    /** Why an answer that is not capture's fails the batch: names the host and what came back. */
    static PostHogSinkException notCapture(
            String host, String endpoint, ApiResponse response, @Nullable String projectApiKey) {
        String contentType = response.header("Content-Type");
        return new PostHogSinkException(
                "The host "
                        + host
                        + " answered "
                        + endpoint
                        + " with HTTP "
                        + response.status()
                        + (contentType == null ? "" : " (" + contentType + ")")
                        + " but not with PostHog capture's answer {\"status\":\"Ok\"}; is it"
                        + " PostHog, or a proxy or login page in front of it? It answered: "
                        + excerpt(response.body(), projectApiKey)
                        + ". The batch is not counted as delivered; failing the job so that"
                        + " Flink replays it from the last checkpoint");
    }

    /** The start of a body as one line of text, with anything like a key masked. */
    static String excerpt(byte[] body, @Nullable String projectApiKey) {
        if (body.length == 0) {
            return "an empty body";
        }
        // Keys are masked before the text is cut, so that no part of one is left.
        int bytes = Math.min(body.length, 4 * (EXCERPT_CHARS + 256));
        String text = new String(body, 0, bytes, StandardCharsets.UTF_8);
        if (projectApiKey != null && !projectApiKey.isEmpty()) {
            text = text.replace(projectApiKey, Secrets.mask(projectApiKey));
        }
        text = Secrets.redact(text).replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        boolean cut = text.length() > EXCERPT_CHARS || bytes < body.length;
        String excerpt = text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) : text;
        return "'" + excerpt + (cut ? "…" : "") + "' (" + body.length + " bytes)";
    }
}
