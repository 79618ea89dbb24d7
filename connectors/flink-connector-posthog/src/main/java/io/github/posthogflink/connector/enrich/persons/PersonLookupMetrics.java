package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.function.LongSupplier;

/**
 * Flink metrics of a person lookup, in the group {@code posthog.persons}: cache hits, misses,
 * evictions and the rest of {@link PersonLookupStats} as gauges, plus counters of elements emitted
 * without a person (budget) and timed out.
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
        MetricGroup group = parent.addGroup("posthog").addGroup("persons");
        PersonLookupStats s = engine.stats();
        gauge(group, "cacheHits", s::cacheHits);
        gauge(group, "cacheMisses", s::cacheMisses);
        gauge(group, "cacheNegativeHits", s::negativeHits);
        gauge(group, "cacheEvictions", s::evictions);
        gauge(group, "cacheExpirations", s::expirations);
        gauge(group, "cachedRows", engine::cachedRows);
        gauge(group, "cachedBytes", engine::cachedBytes);
        gauge(group, "coalesced", s::coalesced);
        gauge(group, "requests", s::requests);
        gauge(group, "requestedKeys", s::requestedKeys);
        gauge(group, "found", s::found);
        gauge(group, "notFound", s::notFound);
        gauge(group, "skippedBudget", s::skippedBudget);
        gauge(group, "failedRequests", s::failedRequests);
        gauge(group, "undetermined", s::undetermined);
        gauge(group, "budgetWaitMillis", () -> s.budgetWaitNanos() / 1_000_000);
        gauge(group, "pendingKeys", engine::pendingKeys);
        return new PersonLookupMetrics(group);
    }

    private static void gauge(MetricGroup group, String name, LongSupplier value) {
        group.gauge(name, (Gauge<Long>) value::getAsLong);
    }
}
