package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Request;

/** Bearer authentication of the private API: only the personal API key ({@code phx_...}). */
public final class ApiAuth {
    private final String personalApiKey;
    private final String projectId;

    public ApiAuth(String personalApiKey, long projectId) {
        this.personalApiKey = personalApiKey;
        this.projectId = String.valueOf(projectId);
    }

    /** Checks the personal key; throws 401 otherwise. */
    public void requirePersonalKey(Request request) {
        String token = request.bearerToken();
        if (token == null) {
            token = request.queryParam("personal_api_key");
        }
        if (token == null || token.isEmpty()) {
            throw ApiError.notAuthenticated();
        }
        if (!token.equals(personalApiKey)) {
            throw ApiError.unauthenticated(
                    token.startsWith("phc_")
                            ? "Project API keys cannot be used for the private API; use a"
                                    + " personal API key."
                            : "Personal API key found in request Authorization header is"
                                    + " invalid.");
        }
    }

    /** Checks the personal key and that the path's project is ours (or {@code @current}). */
    public void requireProject(Request request) {
        requirePersonalKey(request);
        String project = request.pathGroup("project");
        if (!projectId.equals(project) && !"@current".equals(project)) {
            throw ApiError.notFound();
        }
    }

    /**
     * As {@link #requireProject(Request)}, also accepting {@code secretKey} (the project secret API
     * key, {@code phs_...}) as Bearer: PostHog opens a few actions to it, such as a flag's {@code
     * remote_config} ({@code ProjectSecretAPIKeyAuthentication}).
     */
    public void requireProject(Request request, String secretKey) {
        String token = request.bearerToken();
        if (secretKey == null || !secretKey.equals(token)) {
            requireProject(request);
            return;
        }
        String project = request.pathGroup("project");
        if (!projectId.equals(project) && !"@current".equals(project)) {
            throw ApiError.notFound();
        }
    }

    public boolean isPersonalKey(String token) {
        return personalApiKey.equals(token);
    }

    public String projectId() {
        return projectId;
    }
}
