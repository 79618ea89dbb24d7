package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogException;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Turns PostHog's error answers into {@link PostHogException}s. */
final class ErrorBodies {
    private static final int MAX_DETAIL = 2_000;

    private ErrorBodies() {}

    static PostHogException toException(
            String endpoint, int status, byte[] body, @Nullable String retryAfterHeader) {
        String type = null;
        String code = null;
        String detail = null;
        String attr = null;
        JsonNode json = tryParse(body);
        if (json != null && json.isObject()) {
            type = text(json, "type");
            code = text(json, "code");
            detail = text(json, "detail");
            attr = text(json, "attr");
            if (detail == null) {
                detail = text(json, "error");
            }
        }
        if (detail == null && body.length > 0) {
            detail = new String(body, StandardCharsets.UTF_8);
        }
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL) + "…";
        }
        return new PostHogException(
                status,
                endpoint,
                type,
                code,
                detail,
                attr,
                PostHogException.isRetryableStatus(status),
                parseRetryAfter(retryAfterHeader),
                null);
    }

    @Nullable
    static Duration parseRetryAfter(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            // "NaN" cast to 0 ms and made retries spin; a negative or endless delay is no delay
            // either: such a header is ignored, as if there were none.
            if (!Double.isFinite(seconds) || seconds < 0) {
                return null;
            }
            return Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    @Nullable
    private static JsonNode tryParse(byte[] body) {
        if (body.length == 0 || (body[0] != '{' && body[0] != '[')) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Nullable
    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }
}
