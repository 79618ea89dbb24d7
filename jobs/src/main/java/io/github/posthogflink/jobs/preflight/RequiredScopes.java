package io.github.posthogflink.jobs.preflight;

import io.github.posthogflink.jobs.cli.PipelineOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The personal-key scopes the chosen enrichments need, each with the option that needs it: persons
 * read {@code person:read} ({@code PersonViewSet}), the HogQL join {@code query:read} ({@code
 * QueryViewSet}), local flag evaluation {@code feature_flag:read} (the definitions endpoint, {@code
 * rust/feature-flags}).
 */
public final class RequiredScopes {
    private RequiredScopes() {}

    /** Scope to the option that needs it, in a stable order. */
    public static Map<String, String> of(PipelineOptions options) {
        Map<String, String> scopes = new LinkedHashMap<>();
        if (options.persons()) {
            scopes.put("person:read", "--persons");
        }
        if (options.hogqlJoin() != null) {
            scopes.put("query:read", "--hogql-join");
        }
        if (options.flags() == PipelineOptions.FlagMode.LOCAL) {
            scopes.put("feature_flag:read", "--flags local");
        }
        return scopes;
    }
}
