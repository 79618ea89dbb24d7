package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One key {@link PersonLookupEngine} is looking up, from the first lookup until its future
 * completes; later lookups of the key share it. {@code deadline} is guarded by the engine.
 */
final class PendingLookup {
    final String key;
    final CompletableFuture<Optional<Person>> future = new CompletableFuture<>();
    long deadline; // guarded by the engine
    int undeterminedAnswers; // touched by one response at a time

    PendingLookup(String key, long deadline) {
        this.key = key;
        this.deadline = deadline;
    }

    /** Removes each lookup from the engine's map of pending keys; the caller holds the engine. */
    static void forget(Map<String, PendingLookup> pending, List<PendingLookup> lookups) {
        for (PendingLookup p : lookups) {
            pending.remove(p.key, p);
        }
    }

    /** Fails each lookup's future with {@code error}; call without holding the engine. */
    static void failAll(Iterable<PendingLookup> lookups, Throwable error) {
        for (PendingLookup p : lookups) {
            p.future.completeExceptionally(error);
        }
    }
}
