package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Top-level {@code $set} / {@code $set_once} (posthog-python's {@code set()}, older SDKs) are
 * merged into {@code properties}, the top-level keys winning, as PostHog's ingestion does ({@code
 * nodejs/src/utils/event.ts} {@code sanitizeEvent}: {@code properties.$set = {...properties.$set,
 * ...event.$set}}). A top-level {@code $unset} is not read: capture's {@code RawEvent} has no such
 * field.
 */
final class TopLevelSets {
    static final String[] FIELDS = {"$set", "$set_once"};

    private TopLevelSets() {}

    /** Whether a top-level value is merged: a non-empty object. */
    static boolean merges(JsonNode topLevel) {
        return topLevel != null && topLevel.isObject() && !topLevel.isEmpty();
    }

    /**
     * The properties with the event's top-level sets merged in; {@code properties} (the event's
     * own, as sent in {@code raw}) is copied first, so that {@code raw} stays as sent.
     */
    static ObjectNode merge(JsonNode raw, ObjectNode properties) {
        ObjectNode merging = properties;
        for (String field : FIELDS) {
            JsonNode topLevel = raw.get(field);
            if (!merges(topLevel)) {
                continue;
            }
            if (merging == raw.get("properties")) {
                merging = Json.object().setAll(merging);
            }
            JsonNode existing = merging.get(field);
            ObjectNode merged =
                    existing != null && existing.isObject()
                            ? ((ObjectNode) existing).deepCopy()
                            : Json.object();
            merged.setAll(((ObjectNode) topLevel).deepCopy());
            merging.set(field, merged);
        }
        return merging;
    }
}
