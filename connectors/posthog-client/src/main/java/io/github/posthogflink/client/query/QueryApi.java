package io.github.posthogflink.client.query;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.PrivateApi;
import io.github.posthogflink.client.api.ProjectScope;
import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.ApiResponse;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The query API ({@code /api/projects/:id/query/}): blocking, or asynchronous with status polling
 * and cancel, and the query log. By default queries are fresh ({@code force_blocking}, {@code
 * force_async}): PostHog's cached modes ({@link QueryRefresh#BLOCKING}, …) answer from its result
 * cache until the result is stale, minutes later. {@code name} shows in PostHog's query log.
 *
 * <p>Blocking queries are retried on transient errors, but never after they timed out: PostHog may
 * still be running the first copy. Long queries belong in {@link #runAsync}.
 */
public final class QueryApi extends PrivateApi {
    /**
     * The answers to a status poll that carry a finished query's error (400 user, 500 internal).
     */
    private static final int[] QUERY_ERROR_STATUSES = {400, 500};

    /*
     * The client-side budgets, as PostHog's QueryViewSet.get_throttles (posthog/api/query.py)
     * throttles personal-key calls: starting a HogQL query (QUERY), polling and cancelling
     * (QUERY_STATUS), reading the log (QUERY_LOG). Which buckets each takes depends on the team's
     * limits (RateLimitPolicy#withLegacyQueryLimits).
     */

    public QueryApi(HttpTransport transport) {
        super(transport);
    }

    private String base() {
        return ProjectScope.PROJECTS.path(projectId(), "query");
    }

    /** Runs a query and waits for fresh rows ({@code refresh: force_blocking}). */
    public CompletableFuture<QueryResponse> query(HogQLQuery query, @Nullable String name) {
        return execute(query, QueryOptions.blocking(name));
    }

    /**
     * Runs a query and waits for its rows, in a blocking mode ({@code force_blocking}, {@code
     * blocking}, {@code force_cache}).
     *
     * @throws IllegalArgumentException for an async mode (use {@link #start} or {@link #runAsync})
     */
    public CompletableFuture<QueryResponse> execute(HogQLQuery query, QueryOptions options) {
        if (options.refresh().isAsync()) {
            throw new IllegalArgumentException(
                    "refresh " + options.refresh().value() + " is async: use start or runAsync");
        }
        ApiRequest request = create(query, options).noRetryOnTimeout();
        return transport
                .send(request)
                .handle(
                        (r, e) -> {
                            if (e != null) {
                                throw timedOut(request, e);
                            }
                            if (r.status() == 202) {
                                throw unexpectedAsync();
                            }
                            return r.as(QueryResponse.class).withAnswerBytes(r.body().length);
                        });
    }

    /** Shorthand for a fresh HogQL query without placeholders. */
    public CompletableFuture<QueryResponse> hogql(String hogql) {
        return query(HogQLQuery.hogql(hogql), (String) null);
    }

    /**
     * Starts a fresh query asynchronously ({@code refresh: force_async}); PostHog answers 202 with
     * a status to poll.
     *
     * @param clientQueryId the id to give the query, so that a retry does not start a second one;
     *     null lets PostHog choose
     */
    public CompletableFuture<QueryStatus> start(
            HogQLQuery query, @Nullable String name, @Nullable String clientQueryId) {
        return start(query, QueryOptions.async(name).withClientQueryId(clientQueryId));
    }

    /**
     * Starts a query in any mode. A cached mode may answer at once: the status is then complete,
     * with the answer in {@code results}.
     */
    public CompletableFuture<QueryStatus> start(HogQLQuery query, QueryOptions options) {
        return transport.send(create(query, options)).thenApply(QueryApi::status);
    }

    /**
     * Polls an async query. A failed query completes the future with its status ({@code error}, and
     * PostHog's {@code error_message} for a user error), not with an exception.
     */
    public CompletableFuture<QueryStatus> status(String queryId) {
        return transport
                .send(
                        request("GET", statusPath(queryId), RateLimitClass.QUERY_STATUS)
                                .answerStatuses(QUERY_ERROR_STATUSES))
                .thenApply(QueryApi::status);
    }

    /** Cancels an async query. */
    public CompletableFuture<Void> cancel(String queryId) {
        return discard(
                transport.send(
                        request("DELETE", statusPath(queryId), RateLimitClass.QUERY_STATUS)));
    }

    /**
     * The query log of a query ({@code GET query/:id/log/}): PostHog's {@code query_log} rows for
     * that {@code client_query_id} from the last day (duration, rows and bytes read, status), as a
     * HogQL result. PostHog fills the log with a delay of seconds.
     */
    public CompletableFuture<QueryResponse> log(String queryId) {
        return call(
                request("GET", base() + segment(queryId) + "/log/", RateLimitClass.QUERY_LOG),
                QueryResponse.class);
    }

    /**
     * Starts a fresh query asynchronously and polls until it completes, then returns its rows.
     * Fails after {@code timeout}, cancelling the query; a failed query fails with PostHog's
     * message.
     */
    public CompletableFuture<QueryResponse> runAsync(
            HogQLQuery query, @Nullable String name, Duration pollInterval, Duration timeout) {
        return executeAsync(query, QueryOptions.async(name), pollInterval, timeout);
    }

    /** {@link #runAsync} in any mode; without a client query id, one is chosen. */
    public CompletableFuture<QueryResponse> executeAsync(
            HogQLQuery query, QueryOptions options, Duration pollInterval, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Our own query id: a retried start then names the same query instead of a second one.
        QueryOptions withId =
                options.clientQueryId() != null
                        ? options
                        : options.withClientQueryId(UUID.randomUUID().toString());
        return start(query, withId).thenCompose(s -> pollUntilDone(s, pollInterval, deadline));
    }

    private CompletableFuture<QueryResponse> pollUntilDone(
            QueryStatus status, Duration pollInterval, long deadline) {
        if (status.error()) {
            return CompletableFuture.failedFuture(failed(status));
        }
        if (status.complete()) {
            return CompletableFuture.completedFuture(response(status));
        }
        if (System.nanoTime() > deadline) {
            return cancel(status.id())
                    .handle((ok, err) -> null)
                    .thenCompose(
                            ignored ->
                                    CompletableFuture.failedFuture(
                                            new PostHogException(
                                                    0,
                                                    "GET " + statusPath(status.id()),
                                                    null,
                                                    "timeout",
                                                    "Query did not finish in time; cancelled",
                                                    null,
                                                    true,
                                                    null,
                                                    null)));
        }
        Executor later =
                CompletableFuture.delayedExecutor(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(() -> status.id(), later)
                .thenCompose(this::status)
                .thenCompose(next -> pollUntilDone(next, pollInterval, deadline));
    }

    /** A complete status's answer. */
    public static QueryResponse response(QueryStatus status) {
        return Json.MAPPER
                .convertValue(status.results(), QueryResponse.class)
                .withAnswerBytes(status.answerBytes());
    }

    /**
     * A failed status as an exception: PostHog's {@code error_message} for a user error (400, not
     * retryable); an internal failure without message (500) may succeed when run again.
     */
    public PostHogException failed(QueryStatus status) {
        boolean user = status.errorMessage() != null;
        return new PostHogException(
                user ? 400 : 500,
                "GET " + statusPath(status.id()),
                user ? "validation_error" : "server_error",
                user ? "query_error" : "query_failed",
                user
                        ? status.errorMessage()
                        : "PostHog failed the query without saying why (an internal error)",
                null,
                !user,
                null,
                null);
    }

    private String statusPath(String queryId) {
        return base() + segment(queryId) + "/";
    }

    private ApiRequest create(HogQLQuery query, QueryOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("refresh", options.refresh().value());
        if (options.name() != null) {
            body.put("name", options.name());
        }
        if (options.clientQueryId() != null) {
            body.put("client_query_id", options.clientQueryId());
        }
        return request("POST", base(), RateLimitClass.QUERY).jsonBody(body).retrySafe(true);
    }

    private static QueryStatus status(ApiResponse response) {
        JsonNode json = response.json();
        JsonNode status = json.get("query_status");
        if (status != null && status.isObject()) {
            return Json.MAPPER
                    .convertValue(status, QueryStatus.class)
                    .withAnswerBytes(response.body().length);
        }
        if (response.isError()) {
            throw response.failure();
        }
        // 200 with the result inline.
        return new QueryStatus(
                json.path("query_id").asText(""), true, false, null, json, response.body().length);
    }

    /** A blocking query that got no answer in time: not repeated, and said so. */
    private static RuntimeException timedOut(ApiRequest request, Throwable error) {
        Throwable cause =
                error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof PostHogException p
                && (p.status() == 504
                        || (p.status() == 0 && p.getCause() instanceof TimeoutException))) {
            return new PostHogException(
                    p.status(),
                    request.endpoint(),
                    null,
                    "query_timeout",
                    "The blocking query got no answer in time and was not sent again (PostHog may"
                            + " still be running it); run long queries asynchronously (runAsync),"
                            + " or raise the client's requestTimeout",
                    null,
                    false,
                    null,
                    p);
        }
        return cause instanceof RuntimeException r
                ? r
                : new java.util.concurrent.CompletionException(cause);
    }

    private static IllegalStateException unexpectedAsync() {
        return new IllegalStateException("PostHog answered a blocking query with 202");
    }
}
