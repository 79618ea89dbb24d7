package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/**
 * {@code /api/users/}, {@code /api/users/@me/} and {@code /api/users/:uuid/}: the one test user.
 */
public final class UsersApi {
    private final ApiAuth auth;
    private final ObjectNode user;

    public UsersApi(ApiAuth auth, ObjectNode user) {
        this.auth = auth;
        this.user = user;
    }

    /** The user PostHog's {@code UserBasicSerializer} would show as {@code created_by}. */
    public static ObjectNode basicUser(UUID uuid) {
        ObjectNode user = Json.object();
        user.put("id", 1);
        user.put("uuid", uuid.toString());
        user.put("distinct_id", "testkit-user");
        user.put("first_name", "Testkit");
        user.put("last_name", "");
        user.put("email", "testkit@posthog-flink.invalid");
        user.put("is_email_verified", true);
        return user;
    }

    public void register(Router router) {
        router.get("/api/users/?", this::list);
        router.get("/api/users/(?<id>[^/]+)/?", this::retrieve);
    }

    private Response list(Request request) {
        auth.requirePersonalKey(request);
        return Response.json(200, Pagination.page(request, List.of(user)));
    }

    private Response retrieve(Request request) {
        auth.requirePersonalKey(request);
        String id = request.pathGroup("id");
        if (!"@me".equals(id) && !user.get("uuid").asText().equals(id)) {
            throw ApiError.notFound();
        }
        ObjectNode me = user.deepCopy();
        me.put("date_joined", "2024-01-01T00:00:00.000000Z");
        ObjectNode team = me.putObject("team");
        team.put("id", Long.parseLong(auth.projectId()));
        team.put("name", "Testkit project");
        return Response.json(200, me);
    }
}
