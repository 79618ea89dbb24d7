package io.github.posthogflink.client.persons;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code split} takes a merged person apart ({@code posthog/api/person.py}): keep one distinct
 * id and move every other off to a person of its own, or move only the listed ones off. PostHog
 * refuses to combine the two; the person keeps its properties either way. The split runs
 * asynchronously after PostHog's 201.
 */
public final class PersonSplit {
    @Nullable private final String mainDistinctId;
    @Nullable private final List<String> distinctIdsToSplit;

    private PersonSplit(@Nullable String mainDistinctId, @Nullable List<String> toSplit) {
        this.mainDistinctId = mainDistinctId;
        this.distinctIdsToSplit = toSplit;
    }

    /** PostHog's default: the person keeps its first distinct id, every other one moves off. */
    public static PersonSplit all() {
        return new PersonSplit(null, null);
    }

    /** The person keeps {@code mainDistinctId}; every other distinct id moves off. */
    public static PersonSplit keeping(String mainDistinctId) {
        if (mainDistinctId == null || mainDistinctId.isEmpty()) {
            throw new IllegalArgumentException("mainDistinctId must not be empty");
        }
        return new PersonSplit(mainDistinctId, null);
    }

    /** Only these distinct ids move off, each to a new person; the merge stays otherwise. */
    public static PersonSplit movingOff(List<String> distinctIdsToSplit) {
        if (distinctIdsToSplit == null || distinctIdsToSplit.isEmpty()) {
            throw new IllegalArgumentException("distinctIdsToSplit must not be empty");
        }
        return new PersonSplit(null, List.copyOf(distinctIdsToSplit));
    }

    /** The request body. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (mainDistinctId != null) {
            body.put("main_distinct_id", mainDistinctId);
        }
        if (distinctIdsToSplit != null) {
            body.put("distinct_ids_to_split", distinctIdsToSplit);
        }
        return body;
    }

    @Override
    public String toString() {
        return "PersonSplit" + body();
    }
}
