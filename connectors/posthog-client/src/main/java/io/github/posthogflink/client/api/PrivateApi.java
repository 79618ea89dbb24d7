package io.github.posthogflink.client.api;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.ApiResponse;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JavaType;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Shared plumbing of the private API groups: Bearer auth, project paths, pages. */
public abstract class PrivateApi {
    protected final HttpTransport transport;

    protected PrivateApi(HttpTransport transport) {
        this.transport = transport;
    }

    protected String projectId() {
        String id = transport.config().projectId();
        if (id == null) {
            throw new IllegalStateException("This endpoint needs a project id; none is configured");
        }
        return id;
    }

    protected ApiRequest request(String method, String path, RateLimitClass limitClass) {
        return ApiRequest.of(method, ApiRequest.Host.API, path)
                .auth(ApiRequest.Auth.PERSONAL_KEY)
                .rateLimit(limitClass);
    }

    protected static ApiRequest withParams(ApiRequest request, ListParams params) {
        for (Map.Entry<String, List<String>> e : params.asMap().entrySet()) {
            request.queryAll(e.getKey(), e.getValue());
        }
        return request;
    }

    protected <T> CompletableFuture<T> call(ApiRequest request, Class<T> type) {
        return transport.send(request).thenApply(r -> r.as(type));
    }

    protected <T> CompletableFuture<Page<T>> page(ApiRequest request, Class<T> itemType) {
        JavaType pageType =
                Json.MAPPER.getTypeFactory().constructParametricType(Page.class, itemType);
        return transport.send(request).thenApply(r -> r.<Page<T>>as(pageType));
    }

    /**
     * Fetches a {@code next} link. It must point at the configured API host: the personal key is
     * never sent elsewhere.
     */
    protected <T> CompletableFuture<Page<T>> nextPage(
            String nextUrl, Class<T> itemType, RateLimitClass limitClass) {
        URI next = URI.create(nextUrl);
        URI api = URI.create(transport.config().apiHost());
        if (!api.getScheme().equalsIgnoreCase(next.getScheme())
                || !api.getHost().equalsIgnoreCase(next.getHost())
                || api.getPort() != next.getPort()) {
            return CompletableFuture.failedFuture(
                    new PostHogException(
                            0,
                            "GET " + next.getPath(),
                            null,
                            "foreign_next_link",
                            "Refusing to follow a next link to another host: " + next.getHost(),
                            null,
                            false,
                            null,
                            null));
        }
        ApiRequest request =
                ApiRequest.getUrl(nextUrl, next.getPath())
                        .auth(ApiRequest.Auth.PERSONAL_KEY)
                        .rateLimit(limitClass);
        return page(request, itemType);
    }

    protected CompletableFuture<Void> discard(CompletableFuture<ApiResponse> response) {
        return response.thenApply(r -> null);
    }
}
