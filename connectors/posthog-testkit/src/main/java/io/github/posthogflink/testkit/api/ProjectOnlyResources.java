package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Router;

import java.util.List;

/**
 * Resources PostHog's router registers only under {@code /api/projects/:id/} ({@code
 * projects_router.register} in {@code posthog/api/__init__.py}); persons, insights, dashboards,
 * session recordings and the query API are registered under both prefixes ({@code
 * register_grandfathered_environment_nested_viewset}). Under {@code /api/environments/:id/} these
 * fall through to PostHog's {@code api_not_found}: 404, "Endpoint not found.".
 */
public final class ProjectOnlyResources {
    /** The resources the testkit serves that exist only under {@code /api/projects/}. */
    public static final List<String> RESOURCES =
            List.of(
                    "feature_flags",
                    "annotations",
                    "cohorts",
                    "surveys",
                    "actions",
                    "experiments",
                    "event_definitions",
                    "property_definitions");

    private ProjectOnlyResources() {}

    /** Registers the 404s; call before the resources' own routes (the first match wins). */
    public static void register(Router router) {
        router.add(
                "GET,HEAD,POST,PATCH,PUT,DELETE",
                "/api/environments/[^/]+/(" + String.join("|", RESOURCES) + ")(/.*)?",
                request -> {
                    throw new ApiError(
                            404, "invalid_request", "not_found", "Endpoint not found.", null);
                });
    }
}
