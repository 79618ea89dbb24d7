package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /api/personal_api_keys/} as a personal key sees it ({@code
 * posthog/api/personal_api_key.py}): it may retrieve itself ({@code @current} or its id), whatever
 * its scopes, and nothing else ({@code PersonalApiKeySelfAccessPermission}).
 */
public final class PersonalApiKeysApi {
    private static final String NOT_SUPPORTED =
            "This action does not support Personal API Key access";

    private final ApiAuth auth;
    private final String createdAt;

    public PersonalApiKeysApi(ApiAuth auth, String createdAt) {
        this.auth = auth;
        this.createdAt = createdAt;
    }

    public void register(Router router) {
        router.add("GET,HEAD,POST", "/api/personal_api_keys/?", this::notSupported);
        router.get("/api/personal_api_keys/(?<id>[^/]+)/?", this::retrieve);
        router.add(
                "POST,PATCH,PUT,DELETE",
                "/api/personal_api_keys/(?<id>[^/]+)(/roll)?/?",
                this::notSupported);
    }

    private Response notSupported(Request request) {
        auth.authenticate(request);
        throw ApiAuth.permissionDenied(NOT_SUPPORTED);
    }

    private Response retrieve(Request request) {
        ApiAuth.PersonalKey self = auth.authenticate(request);
        String id = request.pathGroup("id");
        if (!"@current".equals(id) && !self.id().equals(id)) {
            boolean anotherKey = auth.personalKeys().stream().anyMatch(k -> k.id().equals(id));
            if (anotherKey) {
                throw ApiAuth.permissionDenied(NOT_SUPPORTED);
            }
            throw ApiError.notFound();
        }
        return Response.json(200, render(self));
    }

    private ObjectNode render(ApiAuth.PersonalKey key) {
        ObjectNode json = Json.object();
        json.put("id", key.id());
        json.put("label", key.label());
        json.putNull("value"); // shown only once, when PostHog creates the key
        json.put("mask_value", key.mask());
        json.put("created_at", createdAt);
        json.put("last_used_at", createdAt);
        json.put("user_id", 1);
        ArrayNode scopes = json.putArray("scopes");
        key.scopes().forEach(scopes::add);
        json.putArray("scoped_teams");
        json.putArray("scoped_organizations");
        json.putNull("last_rolled_at");
        return json;
    }
}
