package io.github.posthogflink.testkit.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** JSON resources of one kind, by numeric id (PostHog-like: 1, 2, 3...). */
public final class ResourceStore {
    private final String kind;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, ObjectNode> items = new ConcurrentSkipListMap<>();

    public ResourceStore(String kind) {
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    public long nextId() {
        return ids.incrementAndGet();
    }

    /** Stores the resource under its {@code id} field. */
    public ObjectNode put(ObjectNode resource) {
        items.put(resource.get("id").asLong(), resource);
        return resource;
    }

    public Optional<ObjectNode> get(long id) {
        ObjectNode item = items.get(id);
        return Optional.ofNullable(item == null ? null : item.deepCopy());
    }

    /** Merges {@code patch} into the resource (top-level fields replaced). */
    public synchronized Optional<ObjectNode> update(long id, ObjectNode patch) {
        ObjectNode item = items.get(id);
        if (item == null) {
            return Optional.empty();
        }
        ObjectNode updated = item.deepCopy();
        updated.setAll(patch);
        updated.put("id", id);
        items.put(id, updated);
        return Optional.of(updated.deepCopy());
    }

    public boolean remove(long id) {
        return items.remove(id) != null;
    }

    /** All resources in id order (copies). */
    public List<ObjectNode> all() {
        List<ObjectNode> result = new ArrayList<>();
        items.values().forEach(item -> result.add(item.deepCopy()));
        return result;
    }

    public void clear() {
        items.clear();
        ids.set(0);
    }
}
