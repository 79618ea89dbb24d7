package io.github.posthogflink.jobs.enrich;

import io.github.posthogflink.client.http.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers for events already validated by the parser. */
public final class JsonEvents {
    private JsonEvents() {}

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("an event inside the pipeline is not a JSON object", e);
        }
    }

    /** The event's {@code properties} object, created when missing. */
    public static ObjectNode properties(ObjectNode event) {
        JsonNode properties = event.get("properties");
        if (properties instanceof ObjectNode object) {
            return object;
        }
        return event.putObject("properties");
    }
}
