package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.api.ApiAuth;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /flags/definitions} and {@code GET /api/feature_flag/local_evaluation/}: Bearer auth
 * with the personal key or the secure flags key; ETag and {@code If-None-Match} (304).
 */
public final class LocalEvaluationEndpoint {
    private final DefinitionsPayload payload;
    private final ApiAuth auth;
    private final String secureFlagsKey;
    private final String projectApiKey;

    public LocalEvaluationEndpoint(
            DefinitionsPayload payload, ApiAuth auth, String secureFlagsKey, String projectApiKey) {
        this.payload = payload;
        this.auth = auth;
        this.secureFlagsKey = secureFlagsKey;
        this.projectApiKey = projectApiKey;
    }

    public void register(Router router) {
        router.get("/flags/definitions/?", this::definitions);
        router.get("/api/feature_flag/local_evaluation/?", this::definitions);
    }

    private Response definitions(Request request) {
        String bearer = request.bearerToken();
        if (bearer == null || bearer.isEmpty()) {
            throw ApiError.notAuthenticated();
        }
        if (!auth.isPersonalKey(bearer) && !bearer.equals(secureFlagsKey)) {
            throw ApiError.unauthenticated("Invalid personal API key or feature flags secure key.");
        }
        String token = request.queryParam("token");
        if (token == null || token.isEmpty()) {
            throw ApiError.invalidInput("Please provide a valid token (project API key).", "token");
        }
        if (!token.equals(projectApiKey)) {
            throw ApiError.unauthenticated("Project API key invalid.");
        }
        byte[] body = Json.bytes(payload.build(request.hasQueryParam("send_cohorts")));
        String etag = "\"" + sha256(body) + "\"";
        String ifNoneMatch = request.header("if-none-match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return Response.empty(304).withHeader("ETag", etag);
        }
        return new Response(
                200, java.util.Map.of("Content-Type", "application/json", "ETag", etag), body);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.trim();
            if (trimmed.startsWith("W/")) {
                trimmed = trimmed.substring(2);
            }
            if (trimmed.equals(etag) || "*".equals(trimmed)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
