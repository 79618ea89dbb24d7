package io.github.posthogflink.testkit.persons;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A mutable person; guarded by its {@link PersonStore}. */
final class Person {
    final long id;
    final UUID uuid;
    final List<String> distinctIds = new ArrayList<>();
    ObjectNode properties;
    Instant createdAt;
    boolean identified;

    /**
     * The last time an event saw the person, as numbers: nearly every event moves it, and storing a
     * new object into a long-lived person would cost the garbage collector on every event.
     */
    private long lastSeenSecond;

    private int lastSeenNano;

    Person(long id, UUID uuid, ObjectNode properties, Instant createdAt) {
        this.id = id;
        this.uuid = uuid;
        this.properties = properties;
        this.createdAt = createdAt;
        seenAt(createdAt);
    }

    void seenAt(Instant time) {
        seenAt(time.getEpochSecond(), time.getNano());
    }

    void seenAt(long epochSecond, int nano) {
        lastSeenSecond = epochSecond;
        lastSeenNano = nano;
    }

    PersonSnapshot snapshot() {
        return new PersonSnapshot(
                id,
                uuid,
                List.copyOf(distinctIds),
                properties.deepCopy(),
                createdAt,
                Instant.ofEpochSecond(lastSeenSecond, lastSeenNano),
                identified);
    }
}
