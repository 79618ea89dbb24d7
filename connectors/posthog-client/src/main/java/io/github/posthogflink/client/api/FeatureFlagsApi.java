package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Feature flag management ({@code /api/projects/:id/feature_flags/}). PostHog forbids hard deletes,
 * so {@link #delete} sets {@code deleted: true}.
 */
public final class FeatureFlagsApi extends ResourceApi {

    public FeatureFlagsApi(HttpTransport transport) {
        super(transport, ProjectScope.PROJECTS, "feature_flags", RateLimitClass.CRUD, true);
    }

    /**
     * Lists flags with PostHog's filters.
     *
     * @param active {@code true}, {@code false} or {@code STALE}; null for all
     * @param type {@code boolean}, {@code multivariant}, {@code experiment}; null for all
     * @param tags any-of match; null or empty for all
     */
    public CompletableFuture<Page<JsonNode>> list(
            @Nullable String active,
            @Nullable String type,
            @Nullable String search,
            @Nullable Collection<String> tags,
            ListParams paging) {
        ListParams params = paging.set("active", active).set("type", type).search(search);
        if (tags != null && !tags.isEmpty()) {
            params.set("tags", new String(Json.write(tags), StandardCharsets.UTF_8));
        }
        return list(params);
    }
}
