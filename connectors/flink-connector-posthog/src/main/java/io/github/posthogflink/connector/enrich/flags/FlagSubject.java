package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.flags.local.EvaluationContext;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who flags are evaluated for, taken from one event: distinct id, groups, and the person and group
 * properties the event carries. As PostHog's SDKs do, {@code distinct_id} is added to the person
 * properties and {@code $group_key} to each group's properties.
 */
record FlagSubject(
        String distinctId,
        Map<String, String> groups,
        Map<String, Object> personProperties,
        Map<String, Map<String, Object>> groupProperties) {

    static <T> FlagSubject from(
            T event, FlagEventAccessor<T> accessor, FlagEnrichmentOptions opts) {
        String distinctId = accessor.distinctId(event);
        if (distinctId == null || distinctId.isEmpty()) {
            throw new IllegalArgumentException("The event has no distinct id");
        }
        Map<String, Object> properties = accessor.properties(event);
        Map<String, String> groups = accessor.groups(event);

        Map<String, Object> person = new LinkedHashMap<>();
        person.put("distinct_id", distinctId);
        if (opts.personPropertiesFromSet() && properties.get("$set") instanceof Map<?, ?> set) {
            set.forEach((k, v) -> person.put(String.valueOf(k), v));
        }
        copyPresent(properties, opts.personPropertyKeys(), person);

        Map<String, Map<String, Object>> groupProperties = new LinkedHashMap<>();
        groups.forEach(
                (type, key) -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("$group_key", key);
                    copyPresent(
                            properties,
                            opts.groupPropertyKeys().getOrDefault(type, List.of()),
                            values);
                    groupProperties.put(type, values);
                });
        return new FlagSubject(distinctId, Map.copyOf(groups), person, groupProperties);
    }

    EvaluationContext context() {
        return new EvaluationContext(distinctId, groups, personProperties, groupProperties);
    }

    FlagsRequest request(@Nullable Collection<String> flagKeys) {
        return new FlagsRequest(
                distinctId,
                groups.isEmpty() ? null : groups,
                personProperties,
                groupProperties.isEmpty() ? null : groupProperties,
                flagKeys,
                true);
    }

    private static void copyPresent(
            Map<String, Object> from, List<String> keys, Map<String, Object> to) {
        for (String key : keys) {
            Object value = from.get(key);
            if (value != null) {
                to.put(key, value);
            }
        }
    }
}
