package io.github.posthogflink.testkit.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered with PostHog's body {@code {"type","code","detail","attr"}}. Handlers throw it;
 * the dispatcher renders it.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String attr;
    private final Integer retryAfterSeconds;

    public ApiError(int status, String type, String code, String detail, String attr) {
        this(status, type, code, detail, attr, null);
    }

    private ApiError(
            int status,
            String type,
            String code,
            String detail,
            String attr,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.attr = attr;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError notFound() {
        return new ApiError(404, "invalid_request", "not_found", "Not found.", null);
    }

    public static ApiError unauthenticated(String detail) {
        return new ApiError(401, "authentication_error", "authentication_failed", detail, null);
    }

    public static ApiError notAuthenticated() {
        return new ApiError(
                401,
                "authentication_error",
                "not_authenticated",
                "Authentication credentials were not provided.",
                null);
    }

    public static ApiError invalidInput(String detail, String attr) {
        return new ApiError(400, "validation_error", "invalid_input", detail, attr);
    }

    public static ApiError methodNotAllowed(String method) {
        return new ApiError(
                405,
                "invalid_request",
                "method_not_allowed",
                "Method \"" + method + "\" not allowed.",
                null);
    }

    public static ApiError throttled(long seconds) {
        return new ApiError(
                429,
                "throttled_error",
                "throttled",
                "Request was throttled. Expected available in " + seconds + " seconds.",
                null,
                (int) seconds);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("type", type);
        body.put("code", code);
        body.put("detail", getMessage());
        if (attr == null) {
            body.putNull("attr");
        } else {
            body.put("attr", attr);
        }
        return body;
    }

    public Response toResponse() {
        Response response = Response.json(status, body());
        if (retryAfterSeconds != null) {
            response = response.withHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        return response;
    }
}
