package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Enriches each element with its PostHog person, for {@code AsyncDataStream}. Each subtask runs its
 * own {@link PersonLookupEngine} (client, cache, batcher) with an equal part of {@code
 * options.budgetShare()}; a restarted subtask starts with its budget spent. Use {@link
 * PersonEnrichment#enrich} to wire it with the right timeout and capacity.
 *
 * @param <IN> the element type
 * @param <OUT> the enriched type, built by a {@link ResultMapper}
 */
@PublicEvolving
public class PersonLookup<IN, OUT> extends RichAsyncFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** Extracts the lookup key (distinct id, email, property value) of an element. */
    @FunctionalInterface
    public interface KeyExtractor<IN> extends Serializable {
        /** The key; null or blank means "no key" (NOT_FOUND without a request). */
        @Nullable
        String keyOf(IN element);
    }

    /** Combines an element with its lookup result. */
    @FunctionalInterface
    public interface ResultMapper<IN, OUT> extends Serializable {
        OUT map(IN element, PersonLookupResult result);
    }

    private final PersonLookupOptions options;
    private final KeyExtractor<IN> keyExtractor;
    private final ResultMapper<IN, OUT> mapper;

    private transient PostHogClient client;
    private transient PersonLookupEngine engine;
    private transient PersonLookupMetrics metrics;

    public PersonLookup(
            PersonLookupOptions options,
            KeyExtractor<IN> keyExtractor,
            ResultMapper<IN, OUT> mapper) {
        this.options = Objects.requireNonNull(options, "options");
        this.keyExtractor = Objects.requireNonNull(keyExtractor, "keyExtractor");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Emits {@link EnrichedWithPerson} records. */
    public static <IN> PersonLookup<IN, EnrichedWithPerson<IN>> enriching(
            PersonLookupOptions options, KeyExtractor<IN> keyExtractor) {
        return new PersonLookup<>(options, keyExtractor, EnrichedWithPerson::of);
    }

    /** Enriches captured events by their distinct id. */
    public static PersonLookup<PostHogEvent, EnrichedWithPerson<PostHogEvent>> forEvents(
            PersonLookupOptions options) {
        return enriching(options, PostHogEvent::distinctId);
    }

    public PersonLookupOptions options() {
        return options;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        double share = options.budgetShare() / Math.max(1, parallelism);
        // The engine keeps the budget itself; the client keeps its retries (and Retry-After).
        client =
                PostHogClient.create(
                        options
                                .clientConfig()
                                .resolveCredentials(PostHogCredentials.Key.PERSONAL_API_KEY)
                                .toBuilder()
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .build());
        engine = PersonLookupEngine.create(options, client, share);
        if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
            // PostHog still counts the failed attempt's requests: no burst into 429s.
            engine.assumeBudgetSpent();
        }
        metrics = PersonLookupMetrics.register(getRuntimeContext().getMetricGroup(), engine);
    }

    @Override
    public void asyncInvoke(IN element, ResultFuture<OUT> resultFuture) {
        String key = keyExtractor.keyOf(element);
        if (key == null || key.isBlank()) {
            emit(element, PersonLookupResult.notFound(), resultFuture);
            return;
        }
        Optional<Optional<Person>> cached = engine.getIfCached(key);
        if (cached.isPresent()) {
            emit(element, PersonLookupResult.of(cached.get()), resultFuture);
            return;
        }
        engine.lookup(key)
                .whenComplete(
                        (person, error) -> {
                            if (error == null) {
                                emit(element, PersonLookupResult.of(person), resultFuture);
                                return;
                            }
                            Throwable cause = unwrap(error);
                            if (cause instanceof BudgetExceededException
                                    && options.budgetPolicy() == BudgetPolicy.EMIT_WITHOUT_PERSON) {
                                metrics.emittedWithoutPerson.inc();
                                emit(element, PersonLookupResult.skippedBudget(), resultFuture);
                            } else if (cause instanceof UndeterminedPersonException) {
                                emit(element, PersonLookupResult.undetermined(), resultFuture);
                            } else {
                                resultFuture.completeExceptionally(cause);
                            }
                        });
    }

    @Override
    public void timeout(IN element, ResultFuture<OUT> resultFuture) {
        metrics.timedOut.inc();
        if (options.budgetPolicy() == BudgetPolicy.FAIL) {
            resultFuture.completeExceptionally(
                    new TimeoutException("person lookup timed out for an element"));
        } else {
            emit(element, PersonLookupResult.timedOut(), resultFuture);
        }
    }

    private void emit(IN element, PersonLookupResult result, ResultFuture<OUT> resultFuture) {
        OUT out;
        try {
            out = mapper.map(element, result);
        } catch (RuntimeException e) {
            resultFuture.completeExceptionally(e);
            return;
        }
        resultFuture.complete(Collections.singletonList(out));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** This subtask's engine (after {@link #open}); for tests and metrics. */
    PersonLookupEngine engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
