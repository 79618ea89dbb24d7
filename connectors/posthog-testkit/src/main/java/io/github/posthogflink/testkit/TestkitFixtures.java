package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a fixtures document ({@code --fixtures FILE}) through {@link TestkitSeeds}, in this order:
 * {@code group_type_mapping} ({@code {"0": "company"}}), {@code persons} ({@code distinct_id},
 * {@code properties}, {@code aliases}: further distinct ids of the same person), {@code groups}
 * ({@code group_type}, {@code group_key}, {@code properties}), {@code cohorts} ({@code name} and
 * either {@code distinct_ids}, static, or {@code properties}, dynamic; ids are given from 1 in
 * order), {@code flags} (bodies as for {@code POST feature_flags/}). Every section is optional.
 */
final class TestkitFixtures {
    static final Set<String> SECTIONS =
            Set.of("group_type_mapping", "persons", "groups", "cohorts", "flags");

    private TestkitFixtures() {}

    /** Loads the file; a bad document is an {@link IllegalArgumentException} saying where. */
    static void load(Path file, TestkitSeeds seeds) {
        JsonNode root;
        try {
            root = Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot read fixtures " + file + ": " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("Fixtures " + file + " must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!SECTIONS.contains(name)) {
                                unknown.add(name);
                            }
                        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "Fixtures "
                            + file
                            + ": unknown section(s) "
                            + unknown
                            + "; known: "
                            + SECTIONS);
        }
        if (root.has("group_type_mapping")) {
            Map<Integer, String> mapping = new HashMap<>();
            root.get("group_type_mapping")
                    .fields()
                    .forEachRemaining(
                            e -> mapping.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
            seeds.setGroupTypeMapping(mapping);
        }
        for (JsonNode person : items(root, "persons")) {
            String distinctId = required(person, "distinct_id", "persons");
            Map<String, Object> properties = properties(person);
            seeds.createPerson(distinctId, properties);
            for (JsonNode alias : person.path("aliases")) {
                seeds.identify(distinctId, alias.asText(), Map.of());
            }
        }
        for (JsonNode group : items(root, "groups")) {
            seeds.identifyGroup(
                    required(group, "group_type", "groups"),
                    required(group, "group_key", "groups"),
                    properties(group));
        }
        for (JsonNode cohort : items(root, "cohorts")) {
            String name = required(cohort, "name", "cohorts");
            if (cohort.has("distinct_ids")) {
                List<String> ids = new ArrayList<>();
                cohort.get("distinct_ids").forEach(id -> ids.add(id.asText()));
                seeds.createStaticCohort(name, ids.toArray(String[]::new));
            } else if (cohort.has("properties")) {
                seeds.createDynamicCohort(name, cohort.get("properties"));
            } else {
                throw new IllegalArgumentException(
                        "Fixtures: cohort " + name + " needs distinct_ids or properties");
            }
        }
        for (JsonNode flag : items(root, "flags")) {
            if (!(flag instanceof ObjectNode body)) {
                throw new IllegalArgumentException("Fixtures: each flag must be an object");
            }
            try {
                seeds.createFlag(body);
            } catch (ApiError e) {
                throw new IllegalArgumentException(
                        "Fixtures: flag " + body.path("key").asText() + ": " + e.getMessage(), e);
            }
        }
    }

    private static Iterable<JsonNode> items(JsonNode root, String section) {
        JsonNode items = root.path(section);
        if (!items.isMissingNode() && !items.isArray()) {
            throw new IllegalArgumentException("Fixtures: " + section + " must be an array");
        }
        return items;
    }

    private static String required(JsonNode item, String field, String section) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(
                    "Fixtures: every item of " + section + " needs " + field + ": " + item);
        }
        return value.asText();
    }

    private static Map<String, Object> properties(JsonNode item) {
        JsonNode properties = item.path("properties");
        if (properties.isMissingNode() || properties.isNull()) {
            return Map.of();
        }
        return Json.MAPPER.convertValue(
                properties,
                Json.MAPPER
                        .getTypeFactory()
                        .constructMapType(Map.class, String.class, Object.class));
    }
}
