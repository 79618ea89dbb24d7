package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import javax.annotation.Nullable;

/**
 * The enrichers' metrics (thread-safe: updated from task, I/O and timer threads), in the operator's
 * group {@code posthog.flags}: counters {@code localEvaluations}, {@code remoteCalls}, {@code
 * cacheHits}, {@code fallbacks}, {@code failures}, {@code quotaLimited}; gauges {@code
 * definitionsAgeMs}, {@code definitionsVersion}, {@code definitionsFlagCount}, {@code
 * remoteCacheSize}.
 */
final class FlagEnrichmentMetrics {
    private final MetricGroup group;
    private final Counter localEvaluations;
    private final Counter remoteCalls;
    private final Counter fallbacks;
    private final Counter failures;
    private final Counter quotaLimited;

    FlagEnrichmentMetrics(MetricGroup operatorGroup) {
        this.group = PostHogMetricGroups.of(operatorGroup, PostHogMetricGroups.FLAGS);
        this.localEvaluations = group.counter("localEvaluations", new ThreadSafeSimpleCounter());
        this.remoteCalls = group.counter("remoteCalls", new ThreadSafeSimpleCounter());
        this.fallbacks = group.counter("fallbacks", new ThreadSafeSimpleCounter());
        this.failures = group.counter("failures", new ThreadSafeSimpleCounter());
        this.quotaLimited = group.counter("quotaLimited", new ThreadSafeSimpleCounter());
    }

    /** Registers the gauges that read the cache and the shared definitions. */
    void bind(RemoteFlagCache cache, @Nullable FlagDefinitionsPoller definitions) {
        group.counter("cacheHits", PostHogMetricGroups.countOf(cache::hits));
        group.gauge("remoteCacheSize", (Gauge<Long>) cache::size);
        if (definitions != null) {
            group.gauge("definitionsAgeMs", (Gauge<Long>) definitions::ageMillis);
            group.gauge("definitionsVersion", (Gauge<Long>) definitions::version);
            group.gauge("definitionsFlagCount", (Gauge<Integer>) definitions::flagCount);
        }
    }

    /** An event's flags were evaluated locally (some may still have gone remote). */
    void localEvaluation() {
        localEvaluations.inc();
    }

    /** A {@code /flags} request was sent (a cache miss). */
    void remoteCall() {
        remoteCalls.inc();
    }

    /** Local evaluation could not decide some flags of an event; they went remote. */
    void fallback() {
        fallbacks.inc();
    }

    /** An event's flags could not all be evaluated (error, timeout). */
    void failure() {
        failures.inc();
    }

    /** A {@code /flags} answer said the project's flags quota is spent ({@code quotaLimited}). */
    void quotaLimited() {
        quotaLimited.inc();
    }

    long failures() {
        return failures.getCount();
    }
}
