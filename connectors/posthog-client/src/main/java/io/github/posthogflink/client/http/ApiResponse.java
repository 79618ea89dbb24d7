package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogException;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A response PostHog answered with success (2xx), {@code 304 Not Modified}, or one of the request's
 * {@link ApiRequest#answerStatuses answer statuses}. A body that is not the expected JSON fails as
 * a {@link PostHogException} ({@code invalid_response}) that does not quote the body, which may
 * echo a key.
 */
public record ApiResponse(
        int status, byte[] body, Function<String, String> headerLookup, String endpoint) {

    @Nullable
    public String header(String name) {
        return headerLookup.apply(name);
    }

    public boolean notModified() {
        return status == 304;
    }

    /** Whether this is an error status the request accepted as an answer. */
    public boolean isError() {
        return status >= 400;
    }

    /** This answer as the failure it would have been without {@code answerStatuses}. */
    public PostHogException failure() {
        return ErrorBodies.toException(endpoint, status, body, header("Retry-After"));
    }

    public <T> T as(Class<T> type) {
        return parse(() -> Json.read(body, type));
    }

    public <T> T as(JavaType type) {
        return parse(() -> Json.read(body, type));
    }

    public JsonNode json() {
        return body.length == 0 ? Json.MAPPER.nullNode() : parse(() -> Json.tree(body));
    }

    private <T> T parse(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw new PostHogException(
                    status,
                    endpoint,
                    null,
                    "invalid_response",
                    "The response body is not the expected JSON ("
                            + root.getClass().getSimpleName()
                            + ")",
                    null,
                    false,
                    null,
                    null);
        }
    }
}
