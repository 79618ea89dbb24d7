package io.github.posthogflink.client.flags;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.ApiResponse;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.annotation.Nullable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Feature flag evaluation: remote ({@code /flags?v=2}, project key in the body) and the definitions
 * for local evaluation ({@code /flags/definitions}, Bearer personal or secure key).
 */
public final class FlagsApi {
    private final HttpTransport transport;

    public FlagsApi(HttpTransport transport) {
        this.transport = transport;
    }

    /** Evaluates flags remotely. */
    public CompletableFuture<FlagsResponse> evaluate(FlagsRequest request) {
        return evaluate(request, false);
    }

    /**
     * Evaluates flags remotely; {@code config} asks for the project's remote config too ({@code
     * config=true}), read into {@link FlagsResponse#config()}. The body says {@code
     * evaluation_runtime: server}, so server-only flags are served to us.
     */
    public CompletableFuture<FlagsResponse> evaluate(FlagsRequest request, boolean config) {
        ObjectNode body = Json.MAPPER.valueToTree(request);
        body.put("api_key", projectKey());
        body.put("evaluation_runtime", "server");
        ApiRequest call =
                ApiRequest.of("POST", ApiRequest.Host.INGESTION, "/flags/")
                        .query("v", 2)
                        .query("config", config ? "true" : null)
                        .jsonBody(body)
                        .retrySafe(true);
        return transport.send(call).thenApply(r -> r.as(FlagsResponse.class));
    }

    /**
     * Fetches the local-evaluation definitions from {@code /flags/definitions}, falling back to
     * {@code /api/feature_flag/local_evaluation/} where the first is not served (404). Sends {@code
     * If-None-Match} when {@code etag} is given.
     */
    public CompletableFuture<FlagDefinitionsSnapshot> definitions(@Nullable String etag) {
        return fetchDefinitions("/flags/definitions", etag)
                .exceptionallyCompose(
                        error -> {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            if (cause instanceof PostHogException p && p.status() == 404) {
                                return fetchDefinitions(
                                        "/api/feature_flag/local_evaluation/", etag);
                            }
                            return CompletableFuture.failedFuture(cause);
                        });
    }

    private CompletableFuture<FlagDefinitionsSnapshot> fetchDefinitions(
            String path, @Nullable String etag) {
        ApiRequest call =
                ApiRequest.of("GET", ApiRequest.Host.INGESTION, path)
                        .query("token", projectKey())
                        .query("send_cohorts", "")
                        .header("If-None-Match", etag)
                        .auth(ApiRequest.Auth.FLAG_DEFINITIONS_KEY)
                        .rateLimit(RateLimitClass.FLAG_LOCAL_EVALUATION);
        return transport.send(call).thenApply(FlagsApi::snapshot);
    }

    /**
     * The payload of a remote-configuration flag ({@code GET
     * /api/projects/@current/feature_flags/<key>/remote_config}, as {@code
     * posthog/api/feature_flag.py} serves it): the JSON text of its {@code "true"} payload, or null
     * when it has none. Bearer: the flags secure key ({@code phs_...}) when configured, else the
     * personal key. A flag that does not exist or is not a remote-configuration flag fails with a
     * 404 {@link PostHogException}.
     */
    public CompletableFuture<String> remoteConfigPayload(String flagKey) {
        if (flagKey == null || flagKey.isEmpty()) {
            throw new IllegalArgumentException("flagKey must not be empty");
        }
        String project = transport.config().projectId();
        ApiRequest call =
                ApiRequest.of(
                                "GET",
                                ApiRequest.Host.API,
                                "/api/projects/"
                                        + (project == null ? "@current" : project)
                                        + "/feature_flags/"
                                        + URLEncoder.encode(flagKey, StandardCharsets.UTF_8)
                                        + "/remote_config/")
                        .query("token", projectKey())
                        .auth(ApiRequest.Auth.FLAG_DEFINITIONS_KEY)
                        .retrySafe(true);
        return transport.send(call).thenApply(r -> PayloadText.of(r.json()));
    }

    private static FlagDefinitionsSnapshot snapshot(ApiResponse response) {
        String etag = response.header("ETag");
        if (response.notModified()) {
            return new FlagDefinitionsSnapshot(null, etag, true);
        }
        return new FlagDefinitionsSnapshot(response.json(), etag, false);
    }

    private String projectKey() {
        String key = transport.config().projectApiKey();
        if (key == null) {
            throw new IllegalStateException("Flags need a project API key (phc_...)");
        }
        return key;
    }
}
