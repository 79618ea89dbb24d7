package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Request;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Bearer authentication of the private API: personal API keys ({@code phx_...}), each with its
 * scopes ({@code *} unless seeded otherwise). A key without the scope a request needs gets
 * PostHog's 403 {@code permission_denied} ({@code posthog/permissions.py}).
 */
public final class ApiAuth {
    private final String personalApiKey;
    private final String projectId;
    private final Map<String, PersonalKey> keys = new ConcurrentHashMap<>();

    /**
     * A personal key as PostHog stores it: an id, a label and scopes (never shown in full again).
     */
    public record PersonalKey(String id, String label, String value, List<String> scopes) {
        public PersonalKey {
            scopes = List.copyOf(scopes);
        }

        /** PostHog's {@code mask_key_value}: {@code phx_...abcd}. */
        public String mask() {
            return value.substring(0, Math.min(4, value.length()))
                    + "..."
                    + value.substring(Math.max(0, value.length() - 4));
        }
    }

    public ApiAuth(String personalApiKey, long projectId) {
        this(personalApiKey, List.of("*"), projectId);
    }

    public ApiAuth(String personalApiKey, List<String> scopes, long projectId) {
        this.personalApiKey = personalApiKey;
        this.projectId = String.valueOf(projectId);
        addPersonalKey(personalApiKey, scopes);
    }

    /** Adds (or re-scopes) a personal key; {@code *} grants every scope. */
    public void addPersonalKey(String key, List<String> scopes) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a personal key must not be empty");
        }
        PersonalKey existing = keys.get(key);
        String id =
                existing != null
                        ? existing.id()
                        : UUID.nameUUIDFromBytes(("testkit-key:" + key).getBytes(UTF_8)).toString();
        keys.put(key, new PersonalKey(id, "testkit key " + (keys.size() + 1), key, scopes));
    }

    /** A personal key, if {@code token} is one. */
    public Optional<PersonalKey> personalKey(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(keys.get(token));
    }

    /** Every personal key. */
    public List<PersonalKey> personalKeys() {
        return List.copyOf(keys.values());
    }

    /** Checks the personal key and that it has the scopes the request needs; 401 or 403. */
    public void requirePersonalKey(Request request) {
        List<String> granted = authenticate(request).scopes();
        for (String scope : ApiScopes.required(request.method(), request.path())) {
            if (!ApiScopes.allows(granted, scope)) {
                throw permissionDenied("API key missing required scope '" + scope + "'");
            }
        }
    }

    /**
     * The personal key of the request (Bearer, or the {@code personal_api_key} query parameter) and
     * its scopes; 401 when there is none or it is unknown.
     */
    PersonalKey authenticate(Request request) {
        String token = tokenOf(request);
        if (token == null || token.isEmpty()) {
            throw ApiError.notAuthenticated();
        }
        PersonalKey granted = keys.get(token);
        if (granted == null) {
            throw ApiError.unauthenticated(
                    token.startsWith("phc_")
                            ? "Project API keys cannot be used for the private API; use a"
                                    + " personal API key."
                            : "Personal API key found in request Authorization header is"
                                    + " invalid.");
        }
        return granted;
    }

    /** PostHog's 403 for a key that may not do this ({@code PermissionDenied}). */
    static ApiError permissionDenied(String detail) {
        return new ApiError(403, "authentication_error", "permission_denied", detail, null);
    }

    static String tokenOf(Request request) {
        String token = request.bearerToken();
        return token != null ? token : request.queryParam("personal_api_key");
    }

    /** Checks the personal key, its scopes, and that the path's project is ours (or current). */
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

    /** Whether {@code token} is one of the personal keys. */
    public boolean isPersonalKey(String token) {
        return token != null && keys.containsKey(token);
    }

    /** The key the server was built with. */
    public String defaultPersonalKey() {
        return personalApiKey;
    }

    public String projectId() {
        return projectId;
    }
}
