package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

import java.util.concurrent.atomic.LongAdder;

/** Counters of a {@link PersonLookupEngine}; read them directly or through Flink metrics. */
@PublicEvolving
public final class PersonLookupStats {
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();
    final LongAdder negativeHits = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder expirations = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder requestedKeys = new LongAdder();
    final LongAdder found = new LongAdder();
    final LongAdder notFound = new LongAdder();
    final LongAdder skippedBudget = new LongAdder();
    final LongAdder failedRequests = new LongAdder();
    final LongAdder budgetWaitNanos = new LongAdder();
    final LongAdder undetermined = new LongAdder();

    /** Lookups answered from the cache (found or cached as missing). */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** Lookups that needed PostHog (coalesced ones included). */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** Cache hits on a person cached as missing. */
    public long negativeHits() {
        return negativeHits.sum();
    }

    /** Entries evicted for size (rows or bytes). */
    public long evictions() {
        return evictions.sum();
    }

    /** Entries dropped because their TTL passed. */
    public long expirations() {
        return expirations.sum();
    }

    /** Lookups that joined a request already pending for the same key. */
    public long coalesced() {
        return coalesced.sum();
    }

    /** Requests sent to PostHog (each is one budget permit). */
    public long requests() {
        return requests.sum();
    }

    /** Keys sent in those requests. */
    public long requestedKeys() {
        return requestedKeys.sum();
    }

    /** Keys PostHog returned a person for. */
    public long found() {
        return found.sum();
    }

    /** Keys PostHog has no person for. */
    public long notFound() {
        return notFound.sum();
    }

    /** Keys given up because the budget could not serve them in time. */
    public long skippedBudget() {
        return skippedBudget.sum();
    }

    /** Requests that failed (after the client's retries). */
    public long failedRequests() {
        return failedRequests.sum();
    }

    /** Keys PostHog's answers did not settle, given up after the last retry. */
    public long undetermined() {
        return undetermined.sum();
    }

    /** Total time batches waited for budget, in nanoseconds. */
    public long budgetWaitNanos() {
        return budgetWaitNanos.sum();
    }

    @Override
    public String toString() {
        return "PersonLookupStats{hits="
                + cacheHits()
                + ", misses="
                + cacheMisses()
                + ", coalesced="
                + coalesced()
                + ", requests="
                + requests()
                + ", requestedKeys="
                + requestedKeys()
                + ", found="
                + found()
                + ", notFound="
                + notFound()
                + ", skippedBudget="
                + skippedBudget()
                + ", evictions="
                + evictions()
                + ", failedRequests="
                + failedRequests()
                + ", undetermined="
                + undetermined()
                + '}';
    }
}
