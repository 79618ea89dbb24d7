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
    Instant lastSeenAt;
    boolean identified;

    Person(long id, UUID uuid, ObjectNode properties, Instant createdAt) {
        this.id = id;
        this.uuid = uuid;
        this.properties = properties;
        this.createdAt = createdAt;
        this.lastSeenAt = createdAt;
    }

    PersonSnapshot snapshot() {
        return new PersonSnapshot(
                id,
                uuid,
                List.copyOf(distinctIds),
                properties.deepCopy(),
                createdAt,
                lastSeenAt,
                identified);
    }
}
