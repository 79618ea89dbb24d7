package io.github.posthogflink.testkit.hogql;

import java.time.Instant;

/**
 * A group (HogQL table {@code groups}): its type index (0..4, PostHog's group type mapping), key,
 * properties (a JSON object), creation and last update time.
 */
public record GroupRow(
        int index, String key, String propertiesJson, Instant createdAt, Instant updatedAt) {}
