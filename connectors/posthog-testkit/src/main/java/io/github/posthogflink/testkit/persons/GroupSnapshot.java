package io.github.posthogflink.testkit.persons;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** A group (e.g. a company) and its properties. */
public record GroupSnapshot(
        int groupTypeIndex,
        String groupType,
        String groupKey,
        ObjectNode properties,
        Instant createdAt) {}
