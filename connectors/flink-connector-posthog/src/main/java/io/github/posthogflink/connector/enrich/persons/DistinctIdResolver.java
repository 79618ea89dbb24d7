package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.PersonsApi;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Resolves distinct ids with {@code POST persons/batch_by_distinct_ids/}. */
@PublicEvolving
public final class DistinctIdResolver implements PersonResolver {
    private final PersonsApi persons;
    private final int maxKeys;

    public DistinctIdResolver(PersonsApi persons, int maxKeys) {
        if (maxKeys < 1 || maxKeys > PersonsApi.MAX_BATCH_DISTINCT_IDS) {
            throw new IllegalArgumentException("maxKeys must be in 1..200");
        }
        this.persons = persons;
        this.maxKeys = maxKeys;
    }

    @Override
    public int maxKeysPerRequest() {
        return maxKeys;
    }

    @Override
    public CompletableFuture<Resolution> resolve(List<String> keys) {
        return persons.batchByDistinctIds(keys).thenApply(Resolution::of);
    }
}
