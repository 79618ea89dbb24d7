package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A capture v1 refusal of the whole request, answered as {@code rust/capture}'s {@code v1::Error}
 * is: its status and {@code {"error": tag, "error_description", "error_uri"}}, with {@code
 * Retry-After: 1} on a 429 or a 5xx ({@code v1/error.rs}).
 */
final class V1Error extends Exception {
    private static final long serialVersionUID = 1L;
    private static final String ERROR_URI = "https://posthog.com/docs/api";

    private final int status;
    private final String tag;

    private V1Error(int status, String tag, String description) {
        super(description, null, false, false);
        this.status = status;
        this.tag = tag;
    }

    int status() {
        return status;
    }

    String tag() {
        return tag;
    }

    Response toResponse() {
        ObjectNode body = Json.object();
        body.put("error", tag);
        body.put("error_description", getMessage());
        body.put("error_uri", ERROR_URI);
        Response response = Response.json(status, body);
        return status == 429 || status >= 500 ? response.withHeader("Retry-After", "1") : response;
    }

    /** No {@code Authorization} header: checked first, so it is a 401 rather than a 400. */
    static V1Error missingAuthorization() {
        return new V1Error(
                401, "missing_authorization", "request is missing the Authorization header");
    }

    static V1Error missingHeaders(List<String> names) {
        String list =
                names.stream()
                        .map(n -> "\"" + n + "\"")
                        .collect(Collectors.joining(", ", "[", "]"));
        return new V1Error(
                400, "missing_required_headers", "request is missing required headers: " + list);
    }

    static V1Error invalidHeader(String detail) {
        return new V1Error(400, "invalid_header_value", "invalid header value: " + detail);
    }

    static V1Error invalidToken() {
        return new V1Error(401, "invalid_api_token", "The provided API token is not valid.");
    }

    static V1Error unsupportedContentType(String value) {
        return new V1Error(415, "unsupported_content_type", "unsupported content type: " + value);
    }

    static V1Error unsupportedEncoding(String value) {
        return new V1Error(415, "unsupported_encoding", "unsupported content encoding: " + value);
    }

    static V1Error payloadTooLarge(String detail) {
        return new V1Error(413, "payload_too_large", "payload too large: " + detail);
    }

    static V1Error requestDecoding() {
        return new V1Error(400, "request_decoding_error", "Failed to decode request body.");
    }

    static V1Error requestParsing() {
        return new V1Error(400, "request_parsing_error", "Failed to parse request body.");
    }

    static V1Error emptyBody() {
        return new V1Error(400, "empty_body", "request body is empty");
    }

    static V1Error emptyBatch() {
        return new V1Error(400, "empty_batch", "request batch is empty");
    }

    static V1Error invalidBatch(String detail) {
        return new V1Error(400, "invalid_batch", "invalid batch: " + detail);
    }

    static V1Error missingEventUuid() {
        return new V1Error(400, "missing_event_uuid", "event submitted without a uuid");
    }

    static V1Error invalidEventUuid(String value) {
        return new V1Error(
                400, "invalid_event_uuid", "event submitted with an invalid uuid: " + value);
    }

    static V1Error duplicateEventUuid(String value) {
        return new V1Error(400, "duplicate_event_uuid", "duplicate event uuid: " + value);
    }

    static V1Error billingLimitExceeded() {
        return new V1Error(429, "billing_limit_exceeded", "billing limit exceeded");
    }
}
