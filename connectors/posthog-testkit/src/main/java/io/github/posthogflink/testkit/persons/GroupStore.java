package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Group types (index 0..4 to name, PostHog's {@code group_type_mapping}) and groups with their
 * properties.
 */
public final class GroupStore {
    /** PostHog allows five group types per project. */
    public static final int MAX_GROUP_TYPES = 5;

    private final Map<Integer, String> typeMapping = new TreeMap<>();
    private final Map<String, GroupSnapshot> groups = new LinkedHashMap<>();

    public synchronized void setTypeMapping(Map<Integer, String> mapping) {
        typeMapping.clear();
        typeMapping.putAll(mapping);
    }

    public synchronized Map<Integer, String> typeMapping() {
        return Map.copyOf(typeMapping);
    }

    /** The index of a group type, assigning the next free one (up to five) when new. */
    public synchronized Optional<Integer> indexOf(String groupType, boolean assign) {
        for (Map.Entry<Integer, String> entry : typeMapping.entrySet()) {
            if (entry.getValue().equals(groupType)) {
                return Optional.of(entry.getKey());
            }
        }
        if (!assign) {
            return Optional.empty();
        }
        for (int i = 0; i < MAX_GROUP_TYPES; i++) {
            if (!typeMapping.containsKey(i)) {
                typeMapping.put(i, groupType);
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Creates or updates a group, applying {@code $group_set}. */
    public synchronized void identify(
            String groupType, String groupKey, JsonNode set, Instant now) {
        Optional<Integer> index = indexOf(groupType, true);
        if (index.isEmpty()) {
            return;
        }
        String id = groupType + "\u0000" + groupKey;
        GroupSnapshot existing = groups.get(id);
        ObjectNode properties = existing == null ? Json.object() : existing.properties().deepCopy();
        if (set != null && set.isObject()) {
            properties.setAll((ObjectNode) set);
        }
        groups.put(
                id,
                new GroupSnapshot(
                        index.get(),
                        groupType,
                        groupKey,
                        properties,
                        existing == null ? now : existing.createdAt()));
    }

    public synchronized Optional<GroupSnapshot> find(String groupType, String groupKey) {
        return Optional.ofNullable(groups.get(groupType + "\u0000" + groupKey));
    }

    public synchronized List<GroupSnapshot> all() {
        return new ArrayList<>(groups.values());
    }

    public synchronized void clear() {
        groups.clear();
    }
}
