package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryApi;
import io.github.posthogflink.client.query.QueryOptions;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.query.QueryStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one query at a time within the query timeout, in the source's {@code refresh} mode:
 * asynchronously (start, poll {@code query_status}, cancel on timeout or close; the default), or
 * blocking. A blocking query that gets no answer in time is never sent again while PostHog may
 * still run it: the poll fails with a message that points to async execution.
 */
final class HogQLQueryRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLQueryRunner.class);

    private final PostHogClient client;
    private final HogQLSourceOptions options;
    @Nullable private volatile String runningAsyncQuery;
    private volatile boolean closed;

    HogQLQueryRunner(PostHogClient client, HogQLSourceOptions options) {
        this.client = client;
        this.options = options;
    }

    CompletableFuture<QueryResponse> run(HogQLQuery query) {
        QueryOptions sent = new QueryOptions(options.queryName(), options.refresh(), null);
        if (!options.asyncExecution()) {
            return client.query()
                    .execute(query, sent)
                    .orTimeout(options.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(blockingFailure(e)));
        }
        long deadline = System.nanoTime() + options.queryTimeout().toNanos();
        String id = UUID.randomUUID().toString();
        runningAsyncQuery = id;
        return client.query()
                .start(query, sent.withClientQueryId(id))
                .thenCompose(status -> awaitDone(status, deadline, 0))
                .whenComplete((r, e) -> runningAsyncQuery = null);
    }

    /** The source's own timeout on a blocking query: not retried either, and said so. */
    private Throwable blockingFailure(Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof TimeoutException) {
            return new PostHogException(
                    0,
                    "POST query/",
                    null,
                    "query_timeout",
                    "The blocking query '"
                            + options.queryName()
                            + "' did not answer within "
                            + options.queryTimeout()
                            + " and is not sent again while PostHog may still run it; use async"
                            + " execution for long queries",
                    null,
                    false,
                    null,
                    cause);
        }
        return cause;
    }

    /** The first status poll comes this soon; the wait then doubles up to the status interval. */
    static final Duration FIRST_STATUS_POLL = Duration.ofMillis(50);

    private CompletableFuture<QueryResponse> awaitDone(
            QueryStatus status, long deadline, int polls) {
        if (status.error()) {
            return CompletableFuture.failedFuture(client.query().failed(status));
        }
        if (status.complete()) {
            return CompletableFuture.completedFuture(QueryApi.response(status));
        }
        if (closed || System.nanoTime() > deadline) {
            cancelQuietly(status.id());
            return CompletableFuture.failedFuture(
                    new PostHogException(
                            0,
                            "GET query/" + status.id() + "/",
                            null,
                            "timeout",
                            closed
                                    ? "Source closed; query cancelled"
                                    : "Query did not finish within "
                                            + options.queryTimeout()
                                            + "; cancelled",
                            null,
                            !closed,
                            null,
                            null));
        }
        Duration interval = statusInterval(polls);
        Executor later =
                CompletableFuture.delayedExecutor(interval.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(status::id, later)
                .thenCompose(client.query()::status)
                .handle((next, e) -> e == null ? next : stillRunning(status, e))
                .thenCompose(next -> awaitDone(next, deadline, polls + 1));
    }

    /** Quick queries answer soon after they start: poll early, then every status interval. */
    private Duration statusInterval(int polls) {
        Duration max = options.asyncStatusInterval();
        Duration early = FIRST_STATUS_POLL.multipliedBy(1L << Math.min(polls, 20));
        return early.compareTo(max) < 0 ? early : max;
    }

    /**
     * A status poll that failed after the client's retries, but may succeed later: the query runs
     * on in PostHog, so poll it again rather than start it over.
     */
    private QueryStatus stillRunning(QueryStatus status, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof PostHogException p && p.isRetryable() && !closed) {
            LOG.debug("Polling query {} failed, polling again: {}", status.id(), p.getMessage());
            return status;
        }
        throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
    }

    private void cancelQuietly(String id) {
        client.query()
                .cancel(id)
                .whenComplete(
                        (ok, e) -> {
                            if (e != null) {
                                LOG.debug("Cancelling query {} failed: {}", id, e.toString());
                            }
                        });
    }

    /** Cancels a running async query; blocking queries cannot be cancelled on the server. */
    @Override
    public void close() {
        closed = true;
        String id = runningAsyncQuery;
        if (id != null) {
            LOG.info("Cancelling running HogQL query {}", id);
            try {
                client.query().cancel(id).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Cancelling query {} failed: {}", id, e.toString());
            }
        }
    }
}
