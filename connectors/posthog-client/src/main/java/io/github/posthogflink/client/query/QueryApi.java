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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The query API ({@code /api/projects/:id/query/}): synchronous, or asynchronous with status
 * polling and cancel. Queries are reads, so they are retried; {@code name} shows in PostHog's
 * query_log.
 */
public final class QueryApi extends PrivateApi {

    public QueryApi(HttpTransport transport) {
        super(transport);
    }

    private String base() {
        return ProjectScope.PROJECTS.path(projectId(), "query");
    }

    /** Runs a query and waits for its rows ({@code refresh: blocking}). */
    public CompletableFuture<QueryResponse> query(HogQLQuery query, @Nullable String name) {
        return transport
                .send(create(query, name, "blocking", null))
                .thenApply(
                        r -> {
                            if (r.status() == 202) {
                                throw unexpectedAsync();
                            }
                            return r.as(QueryResponse.class);
                        });
    }

    /** Shorthand for a HogQL query without placeholders. */
    public CompletableFuture<QueryResponse> hogql(String hogql) {
        return query(HogQLQuery.hogql(hogql), null);
    }

    /**
     * Starts a query asynchronously ({@code refresh: async}); PostHog answers 202 with a status to
     * poll, or 200 when it had the answer at hand.
     *
     * @param clientQueryId the id to give the query, so that a retry does not start a second one;
     *     null lets PostHog choose
     */
    public CompletableFuture<QueryStatus> start(
            HogQLQuery query, @Nullable String name, @Nullable String clientQueryId) {
        return transport
                .send(create(query, name, "async", clientQueryId))
                .thenApply(QueryApi::status);
    }

    /** Polls an async query. */
    public CompletableFuture<QueryStatus> status(String queryId) {
        return transport
                .send(request("GET", base() + queryId + "/", RateLimitClass.QUERY))
                .thenApply(QueryApi::status);
    }

    /** Cancels an async query. */
    public CompletableFuture<Void> cancel(String queryId) {
        return discard(
                transport.send(request("DELETE", base() + queryId + "/", RateLimitClass.QUERY)));
    }

    /**
     * Starts a query asynchronously and polls until it completes, then returns its rows. Fails
     * after {@code timeout}, cancelling the query.
     */
    public CompletableFuture<QueryResponse> runAsync(
            HogQLQuery query, @Nullable String name, Duration pollInterval, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return start(query, name, null).thenCompose(s -> pollUntilDone(s, pollInterval, deadline));
    }

    private CompletableFuture<QueryResponse> pollUntilDone(
            QueryStatus status, Duration pollInterval, long deadline) {
        if (status.complete()) {
            if (status.error()) {
                return CompletableFuture.failedFuture(queryFailed(status));
            }
            return CompletableFuture.completedFuture(
                    Json.MAPPER.convertValue(status.results(), QueryResponse.class));
        }
        if (System.nanoTime() > deadline) {
            return cancel(status.id())
                    .handle((ok, err) -> null)
                    .thenCompose(
                            ignored ->
                                    CompletableFuture.failedFuture(
                                            new PostHogException(
                                                    0,
                                                    "GET " + base() + status.id() + "/",
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

    private ApiRequest create(
            HogQLQuery query, @Nullable String name, String refresh, @Nullable String clientId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("refresh", refresh);
        if (name != null) {
            body.put("name", name);
        }
        if (clientId != null) {
            body.put("client_query_id", clientId);
        }
        return request("POST", base(), RateLimitClass.QUERY).jsonBody(body).retrySafe(true);
    }

    private static QueryStatus status(ApiResponse response) {
        JsonNode json = response.json();
        JsonNode status = json.get("query_status");
        if (status != null && !status.isNull()) {
            return Json.MAPPER.convertValue(status, QueryStatus.class);
        }
        // 200 with the result inline.
        return new QueryStatus(json.path("query_id").asText(""), true, false, null, json);
    }

    private PostHogException queryFailed(QueryStatus status) {
        return new PostHogException(
                400,
                "GET " + base() + status.id() + "/",
                "validation_error",
                "query_error",
                status.errorMessage(),
                null,
                false,
                null,
                null);
    }

    private static IllegalStateException unexpectedAsync() {
        return new IllegalStateException("PostHog answered a blocking query with 202");
    }
}
