package io.github.posthogflink.testkit.persons;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A copy of a person at one moment. {@code id} is PostHog's numeric id. */
public record PersonSnapshot(
        long id,
        UUID uuid,
        List<String> distinctIds,
        ObjectNode properties,
        Instant createdAt,
        Instant lastSeenAt,
        boolean identified) {

    /** A property as text, or null. */
    public String property(String name) {
        var value = properties.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
