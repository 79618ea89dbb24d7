package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Generic JSON CRUD for a project resource ({@code insights}, {@code dashboards}...): list with
 * pagination, create, retrieve, PATCH, DELETE. Most PostHog models refuse DELETE and are
 * soft-deleted by {@code PATCH {"deleted": true}}; see {@link DeletePolicy}.
 */
public final class CrudApi {
    private final ResourceStore store;
    private final ApiAuth auth;
    private final Clock clock;
    private final ObjectNode createdBy;
    private final DeletePolicy deletePolicy;
    private final BiPredicate<Request, ObjectNode> listFilter;
    private boolean paginated = true;
    private int defaultPageSize = Pagination.DEFAULT_LIMIT;

    public CrudApi(
            ResourceStore store,
            ApiAuth auth,
            Clock clock,
            ObjectNode createdBy,
            DeletePolicy deletePolicy,
            BiPredicate<Request, ObjectNode> listFilter) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
        this.createdBy = createdBy;
        this.deletePolicy = deletePolicy;
        this.listFilter = listFilter;
    }

    /**
     * Lists everything as {@code {"results": [...]}}, without {@code count}, {@code next} or {@code
     * previous}, as PostHog's actions list does.
     */
    public CrudApi unpaginated() {
        this.paginated = false;
        return this;
    }

    /** The page size without {@code limit}, as the viewset's paginator sets it. */
    public CrudApi defaultPageSize(int size) {
        this.defaultPageSize = size;
        return this;
    }

    public void register(Router router) {
        String base = Router.PROJECT + "/" + store.kind();
        router.get(base + "/?", this::list);
        router.post(base + "/?", this::create);
        String one = base + (store.uuidIds() ? "/(?<id>[0-9a-fA-F-]{36})/?" : "/(?<id>\\d+)/?");
        router.get(one, this::retrieve);
        router.patch(one, this::update);
        router.delete(one, this::delete);
    }

    private Response list(Request request) {
        auth.requireProject(request);
        List<ObjectNode> items =
                store.all().stream()
                        .filter(item -> !item.path("deleted").asBoolean(false))
                        .filter(item -> listFilter.test(request, item))
                        .toList();
        if (!paginated) {
            ObjectNode all = Json.object();
            all.putArray("results").addAll(items);
            return Response.json(200, all);
        }
        return Response.json(200, Pagination.page(request, items, true, defaultPageSize));
    }

    private Response create(Request request) {
        auth.requireProject(request);
        ObjectNode body = JsonBodies.object(request);
        return Response.json(201, create(body));
    }

    /** Creates a resource from a request-like body (also used by the Java seed API). */
    public ObjectNode create(ObjectNode body) {
        JsonNode id = store.nextId();
        ObjectNode item = Json.object();
        item.set("id", id);
        item.setAll(body.deepCopy());
        item.set("id", id);
        if ("insights".equals(store.kind()) && !item.hasNonNull("short_id")) {
            item.put("short_id", shortId());
        }
        String now = Json.time(clock.instant());
        if (!item.has("created_at")) {
            item.put("created_at", now);
        }
        item.put("updated_at", now);
        item.set("created_by", createdBy.deepCopy());
        if (deletePolicy.soft() && !item.has("deleted")) {
            item.put("deleted", false);
        }
        return store.put(item).deepCopy();
    }

    private Response retrieve(Request request) {
        auth.requireProject(request);
        return Response.json(200, visible(request.pathGroup("id")));
    }

    private Response update(Request request) {
        auth.requireProject(request);
        ObjectNode patch = JsonBodies.object(request);
        String id = request.pathGroup("id");
        boolean restoring = patch.path("deleted").isBoolean() && !patch.get("deleted").asBoolean();
        if (!restoring && deletePolicy != DeletePolicy.SOFT_HIDDEN_PATCHABLE) {
            visible(id);
        }
        patch.remove("id");
        patch.remove("created_by");
        patch.remove("created_at");
        patch.put("updated_at", Json.time(clock.instant()));
        return Response.json(200, store.update(id, patch).orElseThrow(ApiError::notFound));
    }

    private Response delete(Request request) {
        auth.requireProject(request);
        if (deletePolicy.soft()) {
            return DeletePolicy.forbiddenDestroy();
        }
        if (!store.remove(request.pathGroup("id"))) {
            throw ApiError.notFound();
        }
        return Response.empty(204);
    }

    /** The item as retrieve sees it: soft-deleted ones are a 404 under the hidden policies. */
    private ObjectNode visible(String id) {
        ObjectNode item = store.get(id).orElseThrow(ApiError::notFound);
        boolean hidden =
                deletePolicy == DeletePolicy.SOFT_HIDDEN
                        || deletePolicy == DeletePolicy.SOFT_HIDDEN_PATCHABLE;
        if (hidden && item.path("deleted").asBoolean(false)) {
            throw ApiError.notFound();
        }
        return item;
    }

    /** Insights' 8-character {@code short_id}, as in their URLs. */
    private static String shortId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder(8);
        java.util.concurrent.ThreadLocalRandom random =
                java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static long id(Request request) {
        return Long.parseLong(request.pathGroup("id"));
    }

    public ResourceStore store() {
        return store;
    }
}
