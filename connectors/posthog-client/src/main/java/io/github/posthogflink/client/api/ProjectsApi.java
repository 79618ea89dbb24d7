package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * Projects ({@code /api/projects/:id/}): one project and its settings, as PostHog's {@code
 * ProjectViewSet} serves it (scope {@code project:read}; {@code posthog/api/project.py}).
 */
public final class ProjectsApi extends PrivateApi {
    private static final String BASE = "/api/projects/";

    public ProjectsApi(HttpTransport transport) {
        super(transport);
    }

    /** The project {@code id} (or {@code @current}, the key's current project). */
    public CompletableFuture<Project> get(String id) {
        return call(request("GET", BASE + segment(id) + "/", RateLimitClass.CRUD), Project.class);
    }

    /** The configured project ({@code projectId} of the client's configuration). */
    public CompletableFuture<Project> current() {
        return get(projectId());
    }

    /**
     * The fields of a project this client reads. {@code apiToken} is the project API key ({@code
     * phc_...}) events for this project are captured with: treat it as a secret ({@link
     * #toString()} leaves it out).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Project(
            @JsonProperty("id") long id,
            @JsonProperty("uuid") @Nullable String uuid,
            @JsonProperty("name") @Nullable String name,
            @JsonProperty("api_token") @Nullable String apiToken,
            @JsonProperty("timezone") @Nullable String timezone)
            implements Serializable {

        @Override
        public String toString() {
            return "Project[id=" + id + ", name=" + name + ", timezone=" + timezone + "]";
        }
    }
}
