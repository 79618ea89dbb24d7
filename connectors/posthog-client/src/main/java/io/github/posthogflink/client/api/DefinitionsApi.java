package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;

/** Event and property definitions: the project's data taxonomy. */
public final class DefinitionsApi extends PrivateApi {

    public DefinitionsApi(HttpTransport transport) {
        super(transport);
    }

    /** Event definitions; filters such as {@code search}. */
    public CompletableFuture<Page<JsonNode>> events(ListParams params) {
        return list("event_definitions", params);
    }

    /** Property definitions; filters such as {@code type=event|person|group}, {@code search}. */
    public CompletableFuture<Page<JsonNode>> properties(ListParams params) {
        return list("property_definitions", params);
    }

    private CompletableFuture<Page<JsonNode>> list(String resource, ListParams params) {
        String path = ProjectScope.PROJECTS.path(projectId(), resource);
        return page(withParams(request("GET", path, RateLimitClass.CRUD), params), JsonNode.class);
    }
}
