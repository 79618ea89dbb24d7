package io.github.posthogflink.client;

import io.github.posthogflink.client.api.DefinitionsApi;
import io.github.posthogflink.client.api.FeatureFlagsApi;
import io.github.posthogflink.client.api.PersonalApiKeysApi;
import io.github.posthogflink.client.api.ProjectScope;
import io.github.posthogflink.client.api.ProjectsApi;
import io.github.posthogflink.client.api.ResourceApi;
import io.github.posthogflink.client.api.UsersApi;
import io.github.posthogflink.client.capture.CaptureApi;
import io.github.posthogflink.client.flags.FlagsApi;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.RequestListener;
import io.github.posthogflink.client.persons.PersonsApi;
import io.github.posthogflink.client.query.QueryApi;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An async client for PostHog's API. Every call returns a {@link CompletableFuture}; use {@link
 * #await} for a blocking call. A caller that gives up on a call (cancels its future or a stage
 * derived from it, or completes one first, e.g. with {@code orTimeout}) stops it: what still waits
 * for rate-limit budget, a connection or a retry is never sent. One client owns one event loop and
 * one connection pool: share it, and close it when done.
 *
 * <pre>{@code
 * try (PostHogClient posthog = PostHogClient.create(PostHogClientConfig.builder()
 *         .host("https://eu.i.posthog.com").projectApiKey(phc).build())) {
 *     posthog.capture().batch(events).join();
 * }
 * }</pre>
 */
public final class PostHogClient implements AutoCloseable {
    private final HttpTransport transport;
    private final CaptureApi capture;
    private final FlagsApi flags;
    private final PersonsApi persons;
    private final FeatureFlagsApi featureFlags;
    private final QueryApi query;
    private final UsersApi users;
    private final DefinitionsApi definitions;
    private final ProjectsApi projects;
    private final PersonalApiKeysApi personalApiKeys;

    private PostHogClient(PostHogClientConfig config, RequestListener listener) {
        this.transport = new HttpTransport(config, listener);
        this.capture = new CaptureApi(transport);
        this.flags = new FlagsApi(transport);
        this.persons = new PersonsApi(transport);
        this.featureFlags = new FeatureFlagsApi(transport);
        this.query = new QueryApi(transport);
        this.users = new UsersApi(transport);
        this.definitions = new DefinitionsApi(transport);
        this.projects = new ProjectsApi(transport);
        this.personalApiKeys = new PersonalApiKeysApi(transport);
    }

    /**
     * A client of {@code config}, whose {@link PostHogClientConfig#credentials() credentials} are
     * read now.
     */
    public static PostHogClient create(PostHogClientConfig config) {
        return create(config, RequestListener.NONE);
    }

    /** A client whose traffic is reported to {@code listener} (for metrics). */
    public static PostHogClient create(PostHogClientConfig config, RequestListener listener) {
        return new PostHogClient(config.resolveCredentials(), listener);
    }

    public PostHogClientConfig config() {
        return transport.config();
    }

    /** Capture: {@code /i/v0/e/} and {@code /batch/}. */
    public CaptureApi capture() {
        return capture;
    }

    /** Flag evaluation ({@code /flags?v=2}) and local-evaluation definitions. */
    public FlagsApi flags() {
        return flags;
    }

    public PersonsApi persons() {
        return persons;
    }

    /** Feature flag management (CRUD). */
    public FeatureFlagsApi featureFlags() {
        return featureFlags;
    }

    /** The query API: HogQL, sync and async. */
    public QueryApi query() {
        return query;
    }

    public UsersApi users() {
        return users;
    }

    /** Event and property definitions. */
    public DefinitionsApi definitions() {
        return definitions;
    }

    /** Projects: one project and its settings ({@code GET /api/projects/:id/}). */
    public ProjectsApi projects() {
        return projects;
    }

    /** The configured personal key's own description: its scopes. */
    public PersonalApiKeysApi personalApiKeys() {
        return personalApiKeys;
    }

    public ResourceApi insights() {
        return resource("insights", RateLimitClass.ANALYTICS, true);
    }

    public ResourceApi dashboards() {
        return resource("dashboards", RateLimitClass.CRUD, true);
    }

    public ResourceApi annotations() {
        return resource("annotations", RateLimitClass.CRUD, true);
    }

    public ResourceApi cohorts() {
        return resource("cohorts", RateLimitClass.CRUD, true);
    }

    public ResourceApi experiments() {
        return resource("experiments", RateLimitClass.CRUD, true);
    }

    public ResourceApi surveys() {
        return resource("surveys", RateLimitClass.CRUD, false);
    }

    public ResourceApi actions() {
        return resource("actions", RateLimitClass.CRUD, true);
    }

    /** Session recordings: list, get, delete. */
    public ResourceApi sessionRecordings() {
        return resource("session_recordings", RateLimitClass.ANALYTICS, false);
    }

    private ResourceApi resource(String name, RateLimitClass limitClass, boolean softDelete) {
        return new ResourceApi(transport, ProjectScope.PROJECTS, name, limitClass, softDelete);
    }

    /**
     * Waits for a call and returns its result, rethrowing a failure as the {@link PostHogException}
     * (or other runtime exception) it was.
     */
    public static <T> T await(CompletableFuture<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while waiting for PostHog");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
