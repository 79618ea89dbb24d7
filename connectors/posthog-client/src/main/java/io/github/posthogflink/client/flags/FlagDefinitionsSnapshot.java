package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

/**
 * The answer of a definitions poll: the local-evaluation JSON and its ETag, or {@code notModified}
 * when the server answered 304 to our {@code If-None-Match}.
 */
public record FlagDefinitionsSnapshot(
        @Nullable JsonNode definitions, @Nullable String etag, boolean notModified) {}
