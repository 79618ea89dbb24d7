package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.api.ApiAuth;
import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

/**
 * The query endpoints under {@code /api/(projects|environments)/:id/query/}: {@code POST} (every
 * {@code refresh} mode, legacy {@code async: true}), {@code GET :id/} (status), {@code DELETE :id/}
 * (cancel) and {@code GET :id/log/} (query log); behaviour in {@link QueryService}.
 */
public final class QueryApi {
    private static final String BASE = Router.PROJECT + "/query";

    private final QueryService service;
    private final ApiAuth auth;

    public QueryApi(QueryService service, ApiAuth auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post(BASE + "/?", this::run);
        router.get(BASE + "/(?<id>[^/]+)/log/?", this::log);
        router.get(BASE + "/(?<id>[^/]+)/?", this::status);
        router.delete(BASE + "/(?<id>[^/]+)/?", this::cancel);
    }

    private Response run(Request request) {
        auth.requireProject(request);
        QueryService.Answer answer = service.run(JsonBodies.object(request), request.path());
        return Response.json(answer.status(), answer.body());
    }

    private Response status(Request request) {
        auth.requireProject(request);
        QueryService.Answer answer = service.status(request.pathGroup("id"));
        return Response.json(answer.status(), answer.body());
    }

    private Response cancel(Request request) {
        auth.requireProject(request);
        QueryService.Answer answer =
                service.cancel(
                        request.pathGroup("id"), "true".equals(request.queryParam("dequeue_only")));
        return Response.json(answer.status(), answer.body());
    }

    private Response log(Request request) {
        auth.requireProject(request);
        QueryService.Answer answer = service.log(request.pathGroup("id"), request.path());
        return Response.json(answer.status(), answer.body());
    }
}
