package io.github.posthogflink.testkit.hogql;

import java.time.Instant;
import java.util.UUID;

/** A stored event, as the query engine sees it. {@code propertiesJson} is a JSON object. */
public record EventRow(
        UUID uuid, String event, String distinctId, String propertiesJson, Instant timestamp) {}
