package io.github.posthogflink.client.http;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.util.function.Function;

/** A response PostHog answered with success (2xx) or {@code 304 Not Modified}. */
public record ApiResponse(int status, byte[] body, Function<String, String> headerLookup) {

    @Nullable
    public String header(String name) {
        return headerLookup.apply(name);
    }

    public boolean notModified() {
        return status == 304;
    }

    public <T> T as(Class<T> type) {
        return Json.read(body, type);
    }

    public <T> T as(JavaType type) {
        return Json.read(body, type);
    }

    public JsonNode json() {
        return body.length == 0 ? Json.MAPPER.nullNode() : Json.tree(body);
    }
}
