package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code GET /api/projects/:id/} (and {@code @current}): the one project, with the fields of
 * PostHog's {@code ProjectBackwardCompatSerializer} a client reads ({@code id}, {@code uuid},
 * {@code organization}, {@code name}, {@code api_token}, {@code timezone}, {@code project_id}, ...;
 * {@code posthog/api/project.py}). Another project id is a 404, as PostHog answers for a project
 * the key's user cannot see; a wrong key a 401.
 */
public final class ProjectsApi {
    static final String NAME = "Testkit project";

    private final ApiAuth auth;
    private final String projectApiKey;

    public ProjectsApi(ApiAuth auth, String projectApiKey) {
        this.auth = auth;
        this.projectApiKey = projectApiKey;
    }

    public void register(Router router) {
        router.get("/api/projects/(?<project>[^/]+)/?", this::retrieve);
    }

    private Response retrieve(Request request) {
        auth.requireProject(request);
        long id = Long.parseLong(auth.projectId());
        ObjectNode project = Json.object();
        project.put("id", id);
        project.put("uuid", uuid("testkit-project:" + id));
        project.put("organization", uuid("testkit-organization:" + id));
        project.put("name", NAME);
        project.put("product_description", (String) null);
        project.put("created_at", "2024-01-01T00:00:00.000000Z");
        project.put("effective_membership_level", 8);
        project.put("api_token", projectApiKey);
        project.put("timezone", "UTC");
        project.put("is_demo", false);
        project.put("project_id", id);
        project.put("access_control", false);
        return Response.json(200, project);
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
