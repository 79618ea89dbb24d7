package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Generic JSON CRUD for a project resource ({@code insights}, {@code dashboards}...): list with
 * pagination, create, retrieve, PATCH/PUT, DELETE. PostHog soft-deletes most models ({@code
 * deleted: true}); those stay retrievable but leave the list.
 */
public final class CrudApi {
    private final ResourceStore store;
    private final ApiAuth auth;
    private final Clock clock;
    private final ObjectNode createdBy;
    private final boolean softDelete;
    private final BiPredicate<Request, ObjectNode> listFilter;

    public CrudApi(
            ResourceStore store,
            ApiAuth auth,
            Clock clock,
            ObjectNode createdBy,
            boolean softDelete,
            BiPredicate<Request, ObjectNode> listFilter) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
        this.createdBy = createdBy;
        this.softDelete = softDelete;
        this.listFilter = listFilter;
    }

    public void register(Router router) {
        String base = Router.PROJECT + "/" + store.kind();
        router.get(base + "/?", this::list);
        router.post(base + "/?", this::create);
        router.get(base + "/(?<id>\\d+)/?", this::retrieve);
        router.patch(base + "/(?<id>\\d+)/?", this::update);
        router.delete(base + "/(?<id>\\d+)/?", this::delete);
    }

    private Response list(Request request) {
        auth.requireProject(request);
        List<ObjectNode> items =
                store.all().stream()
                        .filter(item -> !item.path("deleted").asBoolean(false))
                        .filter(item -> listFilter.test(request, item))
                        .toList();
        return Response.json(200, Pagination.page(request, items));
    }

    private Response create(Request request) {
        auth.requireProject(request);
        ObjectNode body = JsonBodies.object(request);
        return Response.json(201, create(body));
    }

    /** Creates a resource from a request-like body (also used by the Java seed API). */
    public ObjectNode create(ObjectNode body) {
        long id = store.nextId();
        ObjectNode item = Json.object();
        item.put("id", id);
        item.setAll(body.deepCopy());
        item.put("id", id);
        String now = Json.time(clock.instant());
        if (!item.has("created_at")) {
            item.put("created_at", now);
        }
        item.put("updated_at", now);
        item.set("created_by", createdBy.deepCopy());
        if (softDelete && !item.has("deleted")) {
            item.put("deleted", false);
        }
        return store.put(item).deepCopy();
    }

    private Response retrieve(Request request) {
        auth.requireProject(request);
        return Response.json(200, store.get(id(request)).orElseThrow(ApiError::notFound));
    }

    private Response update(Request request) {
        auth.requireProject(request);
        ObjectNode patch = JsonBodies.object(request);
        patch.remove("id");
        patch.remove("created_by");
        patch.remove("created_at");
        patch.put("updated_at", Json.time(clock.instant()));
        return Response.json(200, store.update(id(request), patch).orElseThrow(ApiError::notFound));
    }

    private Response delete(Request request) {
        auth.requireProject(request);
        long id = id(request);
        if (softDelete) {
            store.update(id, Json.object().put("deleted", true)).orElseThrow(ApiError::notFound);
        } else if (!store.remove(id)) {
            throw ApiError.notFound();
        }
        return Response.empty(204);
    }

    static long id(Request request) {
        return Long.parseLong(request.pathGroup("id"));
    }

    public ResourceStore store() {
        return store;
    }
}
