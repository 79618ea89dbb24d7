package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PropertyFilters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cohorts: static ones hold explicit persons; dynamic ones match {@code filters.properties} (nested
 * cohort filters included) against a person's properties.
 */
public final class CohortRegistry {
    private final ResourceStore store = new ResourceStore("cohorts");
    private final Map<Long, Set<UUID>> staticMembers = new ConcurrentHashMap<>();

    public ResourceStore store() {
        return store;
    }

    public Optional<ObjectNode> cohort(long id) {
        return store.get(id);
    }

    public boolean isStatic(ObjectNode cohort) {
        return cohort.path("is_static").asBoolean(false);
    }

    public void addStaticMembers(long cohortId, Collection<UUID> personUuids) {
        staticMembers
                .computeIfAbsent(cohortId, k -> ConcurrentHashMap.newKeySet())
                .addAll(personUuids);
        store.update(
                cohortId,
                io.github.posthogflink.testkit.http.Json.object()
                        .put("count", staticMembers.get(cohortId).size()));
    }

    public Set<UUID> staticMembers(long cohortId) {
        return Set.copyOf(staticMembers.getOrDefault(cohortId, Set.of()));
    }

    public boolean isMember(long cohortId, PersonSnapshot person) {
        return isMember(cohortId, person, new HashSet<>());
    }

    private boolean isMember(long cohortId, PersonSnapshot person, Set<Long> visiting) {
        Optional<ObjectNode> cohort = store.get(cohortId);
        if (cohort.isEmpty()
                || cohort.get().path("deleted").asBoolean(false)
                || !visiting.add(cohortId)) {
            return false;
        }
        try {
            if (isStatic(cohort.get())) {
                return staticMembers.getOrDefault(cohortId, Set.of()).contains(person.uuid());
            }
            JsonNode properties = cohort.get().path("filters").path("properties");
            if (properties.isMissingNode() || properties.path("values").isEmpty()) {
                return false;
            }
            return PropertyFilters.matches(
                    properties, person.properties(), id -> isMember(id, person, visiting));
        } finally {
            visiting.remove(cohortId);
        }
    }

    /** The live cohorts this person belongs to. */
    public List<ObjectNode> cohortsOf(PersonSnapshot person) {
        return store.all().stream()
                .filter(c -> !c.path("deleted").asBoolean(false))
                .filter(c -> isMember(c.get("id").asLong(), person))
                .toList();
    }

    public void clear() {
        store.clear();
        staticMembers.clear();
    }
}
