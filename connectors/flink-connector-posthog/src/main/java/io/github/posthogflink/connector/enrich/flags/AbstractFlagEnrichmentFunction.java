package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import com.github.benmanes.caffeine.cache.Ticker;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The async I/O core of the flag enrichers: shared definitions and client per TaskManager, local
 * evaluation with remote fallback, the {@code /flags} cache, metrics and the failure policy.
 * Subclasses only shape the output.
 *
 * @param <T> the event type
 * @param <OUT> the output type
 */
@PublicEvolving
public abstract class AbstractFlagEnrichmentFunction<T, OUT> extends RichAsyncFunction<T, OUT> {
    private static final long serialVersionUID = 1L;

    private final FlagEnrichmentOptions options;
    private final FlagEventAccessor<T> accessor;

    private transient SharedFlagResources.Lease lease;
    private transient FlagEvaluationEngine engine;
    private transient FlagEnrichmentMetrics metrics;
    private transient Set<ResultFuture<?>> timedOut;

    AbstractFlagEnrichmentFunction(FlagEnrichmentOptions options, FlagEventAccessor<T> accessor) {
        this.options = Objects.requireNonNull(options, "options");
        this.accessor = Objects.requireNonNull(accessor, "accessor");
    }

    public FlagEnrichmentOptions options() {
        return options;
    }

    protected FlagEventAccessor<T> accessor() {
        return accessor;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        lease = SharedFlagResources.acquire(options, parallelism);
        FlagDefinitionsPoller definitions =
                options.mode() == EvaluationMode.LOCAL
                        ? lease.definitions(options.pollInterval())
                        : null;
        metrics = new FlagEnrichmentMetrics(getRuntimeContext().getMetricGroup());
        engine =
                new FlagEvaluationEngine(
                        options,
                        lease.client(),
                        lease.remoteCalls(),
                        definitions,
                        metrics,
                        Ticker.systemTicker());
        metrics.bind(engine.cache(), definitions);
        timedOut = ConcurrentHashMap.newKeySet();
    }

    @Override
    public void asyncInvoke(T event, ResultFuture<OUT> resultFuture) {
        FlagSubject subject;
        try {
            subject = FlagSubject.from(event, accessor, options);
        } catch (RuntimeException e) {
            finish(event, new FlagEvaluationEngine.Outcome(Map.of(), e), resultFuture);
            return;
        }
        engine.evaluate(subject)
                .whenComplete(
                        (outcome, error) -> {
                            if (timedOut.remove(resultFuture)) {
                                return; // Flink's timeout already answered for this event
                            }
                            finish(
                                    event,
                                    error != null
                                            ? new FlagEvaluationEngine.Outcome(Map.of(), error)
                                            : outcome,
                                    resultFuture);
                        });
    }

    /** Flink's async timeout fired: the failure policy applies. */
    @Override
    public void timeout(T event, ResultFuture<OUT> resultFuture) {
        timedOut.add(resultFuture);
        finish(
                event,
                new FlagEvaluationEngine.Outcome(
                        Map.of(), new TimeoutException("Flag evaluation timed out")),
                resultFuture);
    }

    private void finish(
            T event, FlagEvaluationEngine.Outcome outcome, ResultFuture<OUT> resultFuture) {
        try {
            if (!outcome.complete()) {
                metrics.failure();
                if (options.failurePolicy() == FlagFailurePolicy.FAIL) {
                    resultFuture.completeExceptionally(
                            new FlagEnrichmentException(
                                    "Feature flags could not be evaluated", outcome.failure()));
                    return;
                }
            }
            resultFuture.complete(
                    Collections.singletonList(
                            toOutput(event, outcome.flags(), outcome.complete())));
        } catch (RuntimeException e) {
            resultFuture.completeExceptionally(e);
        }
    }

    /**
     * Builds the output for one event.
     *
     * @param flags the evaluated flags by key, in key order
     * @param complete false when some flags could not be evaluated
     */
    protected abstract OUT toOutput(
            T event, Map<String, FlagEvaluationResult> flags, boolean complete);

    @Override
    public void close() throws Exception {
        try {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        } finally {
            super.close();
        }
    }

    /** The engine, for tests in this package. */
    FlagEvaluationEngine engine() {
        return engine;
    }
}
