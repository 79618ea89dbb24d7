package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.pagination.Pages;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CRUD over a wide PostHog resource (insights, dashboards, annotations, cohorts, experiments,
 * surveys, actions, feature flags) as generic JSON. Resources that PostHog forbids to hard-delete
 * are deleted by {@code PATCH {"deleted": true}}, as PostHog asks. PostHog throttles per viewset,
 * so every call on one resource counts against the same {@link RateLimitClass} (insights and
 * session recordings: analytics, for writes too).
 */
public class ResourceApi extends PrivateApi {
    private final ProjectScope scope;
    private final String resource;
    private final RateLimitClass limitClass;
    private final boolean softDelete;

    public ResourceApi(
            HttpTransport transport,
            ProjectScope scope,
            String resource,
            RateLimitClass limitClass,
            boolean softDelete) {
        super(transport);
        this.scope = scope;
        this.resource = resource;
        this.limitClass = limitClass;
        this.softDelete = softDelete;
    }

    protected String collectionPath() {
        return scope.path(projectId(), resource);
    }

    protected String itemPath(Object id) {
        return collectionPath() + segment(id) + "/";
    }

    /** One page. */
    public CompletableFuture<Page<JsonNode>> list(ListParams params) {
        return page(
                withParams(request("GET", collectionPath(), limitClass), params), JsonNode.class);
    }

    /** Every item, page after page, up to {@code maxItems}. */
    public Pages<JsonNode> iterate(ListParams params, long maxItems) {
        ListParams start = params.copy();
        int offset = start.offsetOrZero();
        return new Pages<>(
                () -> list(start),
                next -> nextPage(next, JsonNode.class, limitClass),
                received -> list(start.copy().offset(offset + received)),
                maxItems);
    }

    public CompletableFuture<JsonNode> get(Object id) {
        return call(request("GET", itemPath(id), limitClass), JsonNode.class);
    }

    /** Creates an item. Not retried after an unknown outcome: it could create two. */
    public CompletableFuture<JsonNode> create(Object body) {
        return call(
                request("POST", collectionPath(), limitClass).jsonBody(body).retrySafe(false),
                JsonNode.class);
    }

    /** Partially updates an item ({@code PATCH}). */
    public CompletableFuture<JsonNode> update(Object id, Object changes) {
        return call(
                request("PATCH", itemPath(id), limitClass).jsonBody(changes).retrySafe(true),
                JsonNode.class);
    }

    public CompletableFuture<Void> delete(Object id) {
        if (softDelete) {
            return update(id, Map.of("deleted", true)).thenApply(r -> null);
        }
        return discard(transport.send(request("DELETE", itemPath(id), limitClass)));
    }
}
