package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.query.QueryStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs one query at a time, blocking or asynchronously (start, poll {@code query_status}, cancel on
 * timeout or close), within a timeout.
 */
final class HogQLQueryRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLQueryRunner.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PostHogClient client;
    private final HogQLSourceOptions options;
    @Nullable private volatile String runningAsyncQuery;
    private volatile boolean closed;

    HogQLQueryRunner(PostHogClient client, HogQLSourceOptions options) {
        this.client = client;
        this.options = options;
    }

    CompletableFuture<QueryResponse> run(HogQLQuery query) {
        if (!options.asyncExecution()) {
            return client.query()
                    .query(query, options.queryName())
                    .orTimeout(options.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + options.queryTimeout().toNanos();
        String id = UUID.randomUUID().toString();
        runningAsyncQuery = id;
        return client.query()
                .start(query, options.queryName(), id)
                .thenCompose(status -> awaitDone(status, deadline))
                .whenComplete((r, e) -> runningAsyncQuery = null);
    }

    private CompletableFuture<QueryResponse> awaitDone(QueryStatus status, long deadline) {
        if (status.complete()) {
            if (status.error()) {
                return CompletableFuture.failedFuture(
                        new PostHogException(
                                400,
                                "GET query/" + status.id() + "/",
                                "validation_error",
                                "query_error",
                                status.errorMessage(),
                                null,
                                false,
                                null,
                                null));
            }
            return CompletableFuture.completedFuture(
                    MAPPER.convertValue(status.results(), QueryResponse.class));
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
        Duration interval = options.asyncStatusInterval();
        Executor later =
                CompletableFuture.delayedExecutor(interval.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(status::id, later)
                .thenCompose(client.query()::status)
                .thenCompose(next -> awaitDone(next, deadline));
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
