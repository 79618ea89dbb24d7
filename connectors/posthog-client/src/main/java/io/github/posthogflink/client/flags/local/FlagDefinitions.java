package io.github.posthogflink.client.flags.local;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local-evaluation payload of {@code /flags/definitions} (or {@code
 * /api/feature_flag/local_evaluation/}): {@code flags}, {@code group_type_mapping} and {@code
 * cohorts}. Parsed and compiled once (regexes, numbers, dates, versions); immutable.
 */
public final class FlagDefinitions {
    private final Map<String, FlagDefinition> flagsByKey;
    private final List<String> flagKeys;
    private final Map<String, String> groupTypeMapping;
    private final Map<String, FilterNode> cohorts;

    private FlagDefinitions(
            Map<String, FlagDefinition> flagsByKey,
            Map<String, String> groupTypeMapping,
            Map<String, FilterNode> cohorts) {
        this.flagsByKey = Collections.unmodifiableMap(flagsByKey);
        this.flagKeys = List.copyOf(flagsByKey.keySet());
        this.groupTypeMapping = Map.copyOf(groupTypeMapping);
        this.cohorts = Map.copyOf(cohorts);
    }

    /** Parses {@code {"flags": [...], "group_type_mapping": {...}, "cohorts": {...}}}. */
    public static FlagDefinitions parse(JsonNode localEvaluationResponse) {
        Map<String, FlagDefinition> flags = new LinkedHashMap<>();
        for (JsonNode flag : localEvaluationResponse.path("flags")) {
            FlagDefinition definition = DefinitionParser.parseFlag(flag);
            flags.put(definition.key(), definition);
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        localEvaluationResponse
                .path("group_type_mapping")
                .fields()
                .forEachRemaining(e -> mapping.put(e.getKey(), e.getValue().asText()));
        Map<String, FilterNode> cohorts = new LinkedHashMap<>();
        localEvaluationResponse
                .path("cohorts")
                .fields()
                .forEachRemaining(
                        e -> cohorts.put(e.getKey(), DefinitionParser.parseGroup(e.getValue())));
        return new FlagDefinitions(flags, mapping, cohorts);
    }

    /** An empty set of definitions: every flag is unknown. */
    public static FlagDefinitions empty() {
        return new FlagDefinitions(Map.of(), Map.of(), Map.of());
    }

    /** The flag keys, in payload order. */
    public List<String> flagKeys() {
        return flagKeys;
    }

    /** The flag with that key, or null. */
    @Nullable
    public FlagDefinition flag(String key) {
        return flagsByKey.get(key);
    }

    public int size() {
        return flagKeys.size();
    }

    /** Group type index (as a string) to group type name, e.g. {@code "0" -> "company"}. */
    public Map<String, String> groupTypeMapping() {
        return groupTypeMapping;
    }

    /** The ids of the cohorts sent for local evaluation (static cohorts are absent). */
    public Set<String> cohortIds() {
        return cohorts.keySet();
    }

    @Nullable
    FilterNode cohort(String id) {
        return cohorts.get(id);
    }

    @Override
    public String toString() {
        return "FlagDefinitions{flags=" + flagKeys.size() + ", cohorts=" + cohorts.size() + "}";
    }
}
