package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.api.CohortRegistry;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.persons.GroupStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The local-evaluation payload: {@code flags} (PostHog's minimal flag serializer; deleted flags
 * left out, inactive ones kept; with {@code has_experiment}, which posthog-python reads from the
 * definitions), {@code group_type_mapping} and, with {@code send_cohorts}, the dynamic cohorts the
 * flags reference (nested ones included) as {@code {id: properties}}.
 */
public final class DefinitionsPayload {
    private static final List<String> FLAG_FIELDS =
            List.of(
                    "id",
                    "team_id",
                    "name",
                    "key",
                    "filters",
                    "deleted",
                    "active",
                    "ensure_experience_continuity",
                    "has_encrypted_payloads",
                    "version",
                    "evaluation_runtime",
                    "evaluation_tags");

    private final FlagStore flags;
    private final GroupStore groups;
    private final CohortRegistry cohorts;
    private final Predicate<JsonNode> hasExperiment;

    /**
     * @param hasExperiment whether a flag has a linked, non-deleted experiment
     */
    public DefinitionsPayload(
            FlagStore flags,
            GroupStore groups,
            CohortRegistry cohorts,
            Predicate<JsonNode> hasExperiment) {
        this.flags = flags;
        this.groups = groups;
        this.cohorts = cohorts;
        this.hasExperiment = hasExperiment;
    }

    public ObjectNode build(boolean sendCohorts) {
        ObjectNode payload = Json.object();
        ArrayNode flagArray = payload.putArray("flags");
        for (ObjectNode flag : flags.all()) {
            if (flag.path("deleted").asBoolean()) {
                continue;
            }
            ObjectNode minimal = Json.object();
            FLAG_FIELDS.forEach(field -> minimal.set(field, flag.get(field)));
            minimal.put("has_experiment", hasExperiment.test(flag));
            flagArray.add(minimal);
        }
        ObjectNode mapping = payload.putObject("group_type_mapping");
        groups.typeMapping().forEach((index, name) -> mapping.put(String.valueOf(index), name));
        ObjectNode cohortMap = payload.putObject("cohorts");
        if (sendCohorts) {
            for (long id : referencedCohorts(flagArray)) {
                cohorts.cohort(id)
                        .filter(c -> !cohorts.isStatic(c) && !c.path("deleted").asBoolean())
                        .ifPresent(
                                c ->
                                        cohortMap.set(
                                                String.valueOf(id),
                                                c.path("filters").path("properties")));
            }
        }
        return payload;
    }

    private Set<Long> referencedCohorts(ArrayNode flagArray) {
        Set<Long> found = new LinkedHashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        flagArray.forEach(pending::add);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()
                    && "cohort".equals(node.path("type").asText())
                    && node.has("value")) {
                long id = node.get("value").asLong();
                if (found.add(id)) {
                    cohorts.cohort(id).ifPresent(c -> pending.add(c.path("filters")));
                }
            }
            node.forEach(pending::add);
        }
        return found;
    }
}
