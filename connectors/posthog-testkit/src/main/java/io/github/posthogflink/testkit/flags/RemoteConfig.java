package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code /flags?config=true} merges into its answer: the project's remote config. PostHog
 * passes through the config Django caches for the project ({@code rust/feature-flags} {@code
 * ConfigResponse}); the testkit has no session recording, surveys, heatmaps or site apps, so it
 * answers the fields of {@code ConfigResponse::fallback} (what PostHog answers when that cache is
 * unavailable), which turn them all off.
 */
final class RemoteConfig {
    private RemoteConfig() {}

    static ObjectNode forProject(boolean hasFeatureFlags) {
        ObjectNode config = Json.object();
        config.put("hasFeatureFlags", hasFeatureFlags);
        config.putArray("supportedCompression").add("gzip").add("gzip-js");
        config.put("sessionRecording", false);
        config.put("surveys", false);
        config.put("heatmaps", false);
        config.put("capturePerformance", false);
        config.put("autocaptureExceptions", false);
        config.put("isAuthenticated", false);
        config.putObject("toolbarParams");
        config.putObject("config").put("enable_collect_everything", true);
        return config;
    }
}
