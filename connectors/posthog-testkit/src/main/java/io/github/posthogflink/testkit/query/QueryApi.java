package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.api.ApiAuth;
import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.http.Secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * {@code POST /api/(projects|environments)/:id/query/} (blocking, or async with {@code refresh}
 * {@code async}/{@code force_async} or legacy {@code async: true}), {@code GET query/:id/} and
 * {@code DELETE query/:id/}.
 */
public final class QueryApi {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 50_000;
    private static final String BASE = Router.PROJECT + "/query";

    private final QueryBackend backend;
    private final ApiAuth auth;
    private final Clock clock;
    private final ExecutorService executor;
    private final long projectId;
    private final Map<String, QueryStatus> statuses = new ConcurrentHashMap<>();

    public QueryApi(
            QueryBackend backend,
            ApiAuth auth,
            Clock clock,
            ExecutorService executor,
            long projectId) {
        this.backend = backend;
        this.auth = auth;
        this.clock = clock;
        this.executor = executor;
        this.projectId = projectId;
    }

    public void register(Router router) {
        router.post(BASE + "/?", this::run);
        router.get(BASE + "/(?<id>[^/]+)/?", this::status);
        router.delete(BASE + "/(?<id>[^/]+)/?", this::cancel);
    }

    private Response run(Request request) {
        auth.requireProject(request);
        ObjectNode body = JsonBodies.object(request);
        JsonNode query = body.get("query");
        if (query == null || !query.isObject()) {
            throw ApiError.invalidInput("This field is required.", "query");
        }
        QueryTranslator.Translated translated = QueryTranslator.translate(query);
        String refresh = body.path("refresh").asText("blocking");
        boolean async = body.path("async").asBoolean(false) || refresh.contains("async");
        String id =
                body.hasNonNull("client_query_id")
                        ? body.get("client_query_id").asText()
                        : UUID.randomUUID().toString().replace("-", "");
        if (!async) {
            try {
                return Response.json(200, execute(translated, id));
            } catch (HogQLException e) {
                throw QueryResponses.hogqlError(e.getMessage());
            }
        }
        QueryStatus status = new QueryStatus(id, projectId, clock.instant());
        statuses.put(id, status);
        status.future = executor.submit(() -> runAsync(status, translated));
        return Response.json(202, status.wrapped());
    }

    private void runAsync(QueryStatus status, QueryTranslator.Translated translated) {
        try {
            status.results = execute(translated, status.id);
        } catch (HogQLException e) {
            status.error = true;
            status.userError = true;
            status.errorMessage = e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("Async query {} failed: {}", status.id, Secrets.redact(e.toString()));
            status.error = true;
        } finally {
            status.endTime = clock.instant();
            status.complete = true;
        }
    }

    private ObjectNode execute(QueryTranslator.Translated translated, String cacheKey)
            throws HogQLException {
        int limit =
                translated.limit() == null
                        ? DEFAULT_LIMIT
                        : Math.min(translated.limit(), MAX_LIMIT);
        HogQLResult result = backend.execute(translated.hogql(), translated.values(), limit);
        return QueryResponses.result(result, cacheKey, clock.instant());
    }

    private Response status(Request request) {
        auth.requireProject(request);
        QueryStatus status = statuses.get(request.pathGroup("id"));
        if (status == null) {
            throw ApiError.notFound();
        }
        if (!status.complete) {
            return Response.json(202, status.wrapped());
        }
        if (status.error) {
            return Response.json(status.userError ? 400 : 500, status.wrapped());
        }
        return Response.json(200, status.wrapped());
    }

    /**
     * As PostHog's {@code destroy}: 200 {@code {"message"}} (its schema says 204, its code does
     * not); a finished query stays, an unknown id is "cancelled" all the same.
     */
    private Response cancel(Request request) {
        auth.requireProject(request);
        String id = request.pathGroup("id");
        QueryStatus status = statuses.get(id);
        if (status != null && status.complete) {
            return cancelled("Query already complete");
        }
        if (status != null) {
            statuses.remove(id);
            if (status.future != null) {
                status.future.cancel(true);
            }
        }
        return cancelled(
                "true".equals(request.queryParam("dequeue_only"))
                        ? "Only tried to dequeue, not cancelling query on clickhouse"
                        : "Cancelled query on clickhouse");
    }

    private static Response cancelled(String message) {
        return Response.json(200, Json.object().put("message", message));
    }

    public void clear() {
        statuses.clear();
    }
}
