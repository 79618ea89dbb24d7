package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.connector.enrich.persons.BudgetExceededException;
import io.github.posthogflink.connector.enrich.persons.BudgetPolicy;
import io.github.posthogflink.connector.enrich.persons.PersonLookupEngine;
import io.github.posthogflink.connector.enrich.persons.PersonLookupMetrics;
import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;
import io.github.posthogflink.connector.enrich.persons.UndeterminedPersonException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The lookup function of a {@code posthog-persons} table: each key is resolved through a {@link
 * PersonLookupEngine} (micro-batched {@code batch_by_distinct_ids} or persons-list requests within
 * the persons budget), as the DataStream {@code PersonLookup} does. A key without a person, one
 * skipped for budget under {@code EMIT_WITHOUT_PERSON}, or one PostHog's answers left undetermined
 * yields no row (and is counted). A failed request is retried {@code lookup.max-retries} times,
 * then fails the job. A restarted subtask starts with its budget spent.
 */
@Internal
public final class PersonsAsyncLookupFunction extends AsyncLookupFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PersonsAsyncLookupFunction.class);

    private final PersonLookupOptions options;
    private final PersonRowConverter rows;
    private final int maxRetries;
    private final Duration asyncTimeout;

    private transient PostHogClient client;
    private transient PersonLookupEngine engine;

    PersonsAsyncLookupFunction(
            PersonLookupOptions options,
            PersonRowConverter rows,
            int maxRetries,
            Duration asyncTimeout) {
        this.options = options;
        this.rows = rows;
        this.maxRetries = maxRetries;
        this.asyncTimeout = asyncTimeout;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        int parallelism = Math.max(1, context.getTaskInfo().getNumberOfParallelSubtasks());
        client = PostHogClient.create(clientConfig(options, asyncTimeout));
        engine = PersonLookupEngine.create(options, client, options.budgetShare() / parallelism);
        if (context.getTaskInfo().getAttemptNumber() > 0) {
            engine.assumeBudgetSpent();
        }
        PersonLookupMetrics.register(context.getMetricGroup(), engine);
    }

    /**
     * The engine keeps the budget, so the client has none. A 429 is waited out only for as long as
     * Flink's async timeout leaves after a budget window: a lookup must answer before Flink's
     * timeout, which would fail the job.
     */
    static PostHogClientConfig clientConfig(PersonLookupOptions options, Duration asyncTimeout) {
        PostHogClientConfig base =
                options.clientConfig().resolveCredentials(PostHogCredentials.Key.PERSONAL_API_KEY);
        Duration left = asyncTimeout.minus(PersonsLookupTableFactory.longestWindow(options));
        Duration throttleWait =
                left.compareTo(base.retryPolicy().maxThrottleWait()) < 0
                        ? left
                        : base.retryPolicy().maxThrottleWait();
        return base.toBuilder()
                .rateLimitPolicy(RateLimitPolicy.disabled())
                .retryPolicy(
                        base.retryPolicy()
                                .withMaxThrottleWait(
                                        throttleWait.isNegative() ? Duration.ZERO : throttleWait))
                .build();
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        if (keyRow.isNullAt(0)) {
            return CompletableFuture.completedFuture(List.of());
        }
        String key = keyRow.getString(0).toString();
        if (key.isBlank()) {
            return CompletableFuture.completedFuture(List.of());
        }
        LookupKeys.ownStrings(keyRow);
        return lookup(key, 0);
    }

    private CompletableFuture<Collection<RowData>> lookup(String key, int attempt) {
        return engine.lookup(key)
                .handle(
                        (person, error) -> {
                            if (error == null) {
                                return CompletableFuture.completedFuture(rowsOf(key, person));
                            }
                            Throwable cause = unwrap(error);
                            if ((cause instanceof BudgetExceededException
                                            && options.budgetPolicy()
                                                    == BudgetPolicy.EMIT_WITHOUT_PERSON)
                                    || cause instanceof UndeterminedPersonException) {
                                // No row; counted (skippedBudget, undetermined) and logged.
                                return CompletableFuture.<Collection<RowData>>completedFuture(
                                        List.of());
                            }
                            if (attempt < maxRetries
                                    && !(cause instanceof BudgetExceededException)) {
                                LOG.warn(
                                        "Person lookup failed ({}), retry {} of {}",
                                        cause.getClass().getSimpleName(),
                                        attempt + 1,
                                        maxRetries);
                                return lookup(key, attempt + 1);
                            }
                            return CompletableFuture.<Collection<RowData>>failedFuture(cause);
                        })
                .thenCompose(f -> f);
    }

    private Collection<RowData> rowsOf(String key, Optional<Person> person) {
        return person.<Collection<RowData>>map(p -> List.of(rows.toRow(key, p))).orElse(List.of());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
