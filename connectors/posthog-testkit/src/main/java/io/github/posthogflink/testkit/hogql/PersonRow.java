package io.github.posthogflink.testkit.hogql;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored person, as the query engine sees it. {@code propertiesJson} is a JSON object. */
public record PersonRow(
        UUID uuid, List<String> distinctIds, String propertiesJson, Instant createdAt) {}
