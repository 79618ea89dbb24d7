package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.function.LongSupplier;

/**
 * Flink metrics of a person lookup, in the group {@code posthog.persons}: the running totals of
 * {@link PersonLookupStats} (cache hits, misses, evictions, requests, …) as counters, what the
 * cache and the scheduler hold now ({@code cachedRows}, {@code cachedBytes}, {@code pendingKeys})
 * as gauges, plus counters of elements emitted without a person (budget) and timed out.
 */
@Internal
public final class PersonLookupMetrics {
    final Counter emittedWithoutPerson;
    final Counter timedOut;

    private PersonLookupMetrics(MetricGroup group) {
        this.emittedWithoutPerson = group.counter("emittedWithoutPerson");
        this.timedOut = group.counter("timedOut");
    }

    /** Registers the engine's metrics under {@code parent}'s group {@code posthog.persons}. */
    public static PersonLookupMetrics register(MetricGroup parent, PersonLookupEngine engine) {
        MetricGroup group = PostHogMetricGroups.of(parent, PostHogMetricGroups.PERSONS);
        PersonLookupStats s = engine.stats();
        count(group, "cacheHits", s::cacheHits);
        count(group, "cacheMisses", s::cacheMisses);
        count(group, "cacheNegativeHits", s::negativeHits);
        count(group, "cacheEvictions", s::evictions);
        count(group, "cacheExpirations", s::expirations);
        count(group, "coalesced", s::coalesced);
        count(group, "requests", s::requests);
        count(group, "requestedKeys", s::requestedKeys);
        count(group, "found", s::found);
        count(group, "notFound", s::notFound);
        count(group, "skippedBudget", s::skippedBudget);
        count(group, "failedRequests", s::failedRequests);
        count(group, "undetermined", s::undetermined);
        count(group, "budgetWaitMillis", () -> s.budgetWaitNanos() / 1_000_000);
        gauge(group, "cachedRows", engine::cachedRows);
        gauge(group, "cachedBytes", engine::cachedBytes);
        gauge(group, "pendingKeys", engine::pendingKeys);
        return new PersonLookupMetrics(group);
    }

    private static void count(MetricGroup group, String name, LongSupplier total) {
        group.counter(name, PostHogMetricGroups.countOf(total));
    }

    private static void gauge(MetricGroup group, String name, LongSupplier value) {
        group.gauge(name, (Gauge<Long>) value::getAsLong);
    }
}
