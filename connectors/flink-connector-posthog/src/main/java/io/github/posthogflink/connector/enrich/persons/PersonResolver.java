package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Resolves a batch of lookup keys to persons with one PostHog request. */
@PublicEvolving
public interface PersonResolver {

    /** The most keys one request may carry. */
    int maxKeysPerRequest();

    /** One request for {@code keys} (at most {@link #maxKeysPerRequest()}). */
    CompletableFuture<Resolution> resolve(List<String> keys);

    /**
     * What a request found. Keys neither in {@code found} nor in {@code undetermined} have no
     * person; {@code undetermined} keys need another request (a truncated page).
     */
    record Resolution(Map<String, Person> found, Set<String> undetermined) {
        public Resolution {
            found = Map.copyOf(found);
            undetermined = Set.copyOf(undetermined);
        }

        public static Resolution of(Map<String, Person> found) {
            return new Resolution(found, Set.of());
        }
    }
}
