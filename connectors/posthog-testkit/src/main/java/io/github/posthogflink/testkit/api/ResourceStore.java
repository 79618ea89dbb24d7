package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON resources of one kind, by id: numeric (1, 2, 3...) as most PostHog models, or a UUID (as
 * surveys). Kept in creation order.
 */
public final class ResourceStore {
    private final String kind;
    private final boolean uuidIds;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, ObjectNode> items = new LinkedHashMap<>();

    public ResourceStore(String kind) {
        this(kind, false);
    }

    public ResourceStore(String kind, boolean uuidIds) {
        this.kind = kind;
        this.uuidIds = uuidIds;
    }

    public String kind() {
        return kind;
    }

    public boolean uuidIds() {
        return uuidIds;
    }

    /** The next id, as JSON: a number, or a UUID string. */
    public JsonNode nextId() {
        return uuidIds
                ? Json.valueToTree(UUID.randomUUID().toString())
                : Json.valueToTree(ids.incrementAndGet());
    }

    /** Stores the resource under its {@code id} field. */
    public synchronized ObjectNode put(ObjectNode resource) {
        items.put(resource.get("id").asText(), resource);
        return resource;
    }

    public synchronized Optional<ObjectNode> get(String id) {
        ObjectNode item = items.get(id);
        return Optional.ofNullable(item == null ? null : item.deepCopy());
    }

    public Optional<ObjectNode> get(long id) {
        return get(String.valueOf(id));
    }

    /** Merges {@code patch} into the resource (top-level fields replaced). */
    public synchronized Optional<ObjectNode> update(String id, ObjectNode patch) {
        ObjectNode item = items.get(id);
        if (item == null) {
            return Optional.empty();
        }
        ObjectNode updated = item.deepCopy();
        updated.setAll(patch);
        updated.set("id", item.get("id"));
        items.put(id, updated);
        return Optional.of(updated.deepCopy());
    }

    public Optional<ObjectNode> update(long id, ObjectNode patch) {
        return update(String.valueOf(id), patch);
    }

    public synchronized boolean remove(String id) {
        return items.remove(id) != null;
    }

    /** All resources in creation order (copies). */
    public synchronized List<ObjectNode> all() {
        List<ObjectNode> result = new ArrayList<>();
        items.values().forEach(item -> result.add(item.deepCopy()));
        return result;
    }

    public synchronized void clear() {
        items.clear();
        ids.set(0);
    }
}
