package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Bodies;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/** Reads a private-API request's JSON object body (400 {@code parse_error} otherwise). */
public final class JsonBodies {
    private static final long LIMIT = 20L * 1024 * 1024;

    private JsonBodies() {}

    public static ObjectNode object(Request request) {
        byte[] body;
        try {
            body = Bodies.decode(request, LIMIT);
        } catch (IOException e) {
            throw new ApiError(400, "invalid_request", "parse_error", "Invalid body.", null);
        }
        if (body.length == 0) {
            return Json.object();
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (IOException e) {
            throw new ApiError(
                    400,
                    "invalid_request",
                    "parse_error",
                    "JSON parse error - "
                            + Secrets.redact(
                                    e
                                                    instanceof
                                                    com.fasterxml.jackson.core
                                                                    .JsonProcessingException
                                                            j
                                            ? j.getOriginalMessage()
                                            : e.getMessage()),
                    null);
        }
        if (node == null || !node.isObject()) {
            throw ApiError.invalidInput("Expected a JSON object.", null);
        }
        return (ObjectNode) node;
    }
}
