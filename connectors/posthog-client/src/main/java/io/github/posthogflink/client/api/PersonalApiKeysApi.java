package io.github.posthogflink.client.api;

import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/personal_api_keys/}: what the configured personal key may do. PostHog lets a personal
 * key read only itself, whatever its scopes ({@code PersonalApiKeySelfAccessPermission}), so a job
 * can check its key's scopes before it starts.
 */
public final class PersonalApiKeysApi extends PrivateApi {
    private static final String BASE = "/api/personal_api_keys/";

    public PersonalApiKeysApi(HttpTransport transport) {
        super(transport);
    }

    /** The key this client authenticates with ({@code GET /api/personal_api_keys/@current/}). */
    public CompletableFuture<PersonalApiKey> current() {
        return call(request("GET", BASE + "@current/", RateLimitClass.CRUD), PersonalApiKey.class);
    }
}
