package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;

/** Users ({@code /api/users/}): list, get by uuid, and {@code @me}. */
public final class UsersApi extends PrivateApi {
    private static final String BASE = "/api/users/";

    public UsersApi(HttpTransport transport) {
        super(transport);
    }

    public CompletableFuture<Page<JsonNode>> list(ListParams params) {
        return page(withParams(request("GET", BASE, RateLimitClass.CRUD), params), JsonNode.class);
    }

    public CompletableFuture<JsonNode> get(String uuid) {
        return call(request("GET", BASE + uuid + "/", RateLimitClass.CRUD), JsonNode.class);
    }

    /** The user that owns the personal API key. */
    public CompletableFuture<JsonNode> me() {
        return get("@me");
    }
}
