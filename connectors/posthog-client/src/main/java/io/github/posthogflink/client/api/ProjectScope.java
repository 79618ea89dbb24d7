package io.github.posthogflink.client.api;

/** The URL prefix a project resource lives under, as PostHog's API reference gives it. */
public enum ProjectScope {
    PROJECTS("/api/projects/"),
    ENVIRONMENTS("/api/environments/");

    private final String prefix;

    ProjectScope(String prefix) {
        this.prefix = prefix;
    }

    /** {@code /api/projects/<id>/<resource>/}. */
    public String path(String projectId, String resource) {
        return prefix + projectId + "/" + resource + "/";
    }
}
