package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.flags.FlagResult;
import io.github.posthogflink.client.flags.FlagsResponse;
import io.github.posthogflink.client.flags.local.LocalEvaluation;
import io.github.posthogflink.client.flags.local.LocalFlagEvaluator;

import com.github.benmanes.caffeine.cache.Ticker;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the configured flags for one subject: locally where the definitions decide, remotely
 * ({@code /flags?v=2}, through the cache) for the rest or for everything in remote mode.
 */
final class FlagEvaluationEngine {

    /**
     * The flags of one event, by key in key order. {@code failure} is set when some flags could not
     * be evaluated; {@code flags} then holds those that could.
     */
    record Outcome(Map<String, FlagEvaluationResult> flags, @Nullable Throwable failure) {
        boolean complete() {
            return failure == null;
        }
    }

    private final FlagEnrichmentOptions options;
    @Nullable private final FlagDefinitionsPoller definitions;
    private final RemoteFlagCache cache;
    private final FlagEnrichmentMetrics metrics;

    FlagEvaluationEngine(
            FlagEnrichmentOptions options,
            PostHogClient client,
            AsyncPermits remoteCalls,
            @Nullable FlagDefinitionsPoller definitions,
            FlagEnrichmentMetrics metrics,
            Ticker ticker) {
        this.options = options;
        this.definitions = definitions;
        this.metrics = metrics;
        this.cache =
                new RemoteFlagCache(
                        options.remoteCacheTtl(),
                        options.remoteCacheMaxSize(),
                        ticker,
                        key -> fetchRemote(client, remoteCalls, key));
    }

    RemoteFlagCache cache() {
        return cache;
    }

    CompletableFuture<Outcome> evaluate(FlagSubject subject) {
        if (options.mode() == EvaluationMode.REMOTE || definitions == null) {
            Set<String> keys = options.flagKeys() == null ? null : Set.copyOf(options.flagKeys());
            return remote(subject, keys, Map.of());
        }
        CompletableFuture<Void> ready = definitions.firstAttempt();
        if (ready.isDone()) {
            return evaluateLocally(subject);
        }
        return ready.copy()
                .completeOnTimeout(
                        null, options.definitionsWaitTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(ignored -> evaluateLocally(subject));
    }

    private CompletableFuture<Outcome> evaluateLocally(FlagSubject subject) {
        LocalFlagEvaluator evaluator = definitions.evaluator();
        if (evaluator == null) {
            if (options.onlyEvaluateLocally()) {
                return CompletableFuture.completedFuture(
                        new Outcome(Map.of(), new IllegalStateException("No flag definitions")));
            }
            metrics.fallback();
            Set<String> keys = options.flagKeys() == null ? null : Set.copyOf(options.flagKeys());
            return remote(subject, keys, Map.of());
        }
        LocalEvaluation local = evaluator.evaluateAll(subject.context(), options.flagKeys());
        metrics.localEvaluation();
        Map<String, FlagEvaluationResult> decided = new LinkedHashMap<>();
        local.decided()
                .forEach(
                        (key, result) ->
                                decided.put(
                                        key,
                                        FlagEvaluationResult.of(
                                                result, FlagEvaluationSource.LOCAL)));
        if (local.complete() || options.onlyEvaluateLocally()) {
            return CompletableFuture.completedFuture(new Outcome(sorted(decided), null));
        }
        metrics.fallback();
        return remote(subject, new LinkedHashSet<>(local.undecided()), decided);
    }

    private CompletableFuture<Outcome> remote(
            FlagSubject subject,
            @Nullable Set<String> keys,
            Map<String, FlagEvaluationResult> alreadyDecided) {
        CompletableFuture<Map<String, FlagResult>> answer;
        try {
            answer = cache.get(new RemoteFlagCache.Key(subject, keys));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle(
                (flags, error) -> {
                    Map<String, FlagEvaluationResult> all = new LinkedHashMap<>(alreadyDecided);
                    if (error != null) {
                        return new Outcome(sorted(all), unwrap(error));
                    }
                    flags.forEach(
                            (key, result) -> {
                                if (keys == null || keys.contains(key)) {
                                    all.put(
                                            key,
                                            FlagEvaluationResult.of(
                                                    result, FlagEvaluationSource.REMOTE));
                                }
                            });
                    return new Outcome(sorted(all), null);
                });
    }

    private CompletableFuture<Map<String, FlagResult>> fetchRemote(
            PostHogClient client, AsyncPermits remoteCalls, RemoteFlagCache.Key key) {
        metrics.remoteCall();
        Collection<String> keys = key.flagKeys();
        return remoteCalls
                .run(() -> client.flags().evaluate(key.subject().request(keys)))
                .orTimeout(options.remoteTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(this::usableFlags);
    }

    /**
     * The flags PostHog evaluated; those it reports as failed are left out. A quota-limited answer
     * carries no flag but is no answer: it fails (and so is not cached).
     */
    private Map<String, FlagResult> usableFlags(FlagsResponse response) {
        if (response.isQuotaLimited()) {
            metrics.quotaLimited();
            throw new FlagsQuotaLimitedException();
        }
        Map<String, FlagResult> usable = new LinkedHashMap<>();
        response.flags()
                .forEach(
                        (key, result) -> {
                            if (!Boolean.TRUE.equals(result.failed())) {
                                usable.put(key, result);
                            }
                        });
        return usable;
    }

    private static Map<String, FlagEvaluationResult> sorted(Map<String, FlagEvaluationResult> m) {
        return new LinkedHashMap<>(new TreeMap<>(m));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
    }
}
