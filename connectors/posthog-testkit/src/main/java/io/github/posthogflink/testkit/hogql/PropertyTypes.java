package io.github.posthogflink.testkit.hogql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostHog's property definitions, reduced to what HogQL uses: the type of a top-level property is
 * fixed by the first value ingestion sees (a JSON number makes it Numeric, a JSON boolean Boolean,
 * anything else String). HogQL then reads Numeric properties as Float64 and Boolean ones as Bool.
 */
final class PropertyTypes {
    enum Type {
        STRING,
        NUMERIC,
        BOOLEAN
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Type> types = new ConcurrentHashMap<>();

    /** Validates that {@code json} is an object and records the types of unseen properties. */
    void observe(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("properties must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Type type = typeOf(name, value);
                if (type != null && !types.containsKey(name)) {
                    types.putIfAbsent(name, type);
                }
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("properties must be a single JSON object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "properties are not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Type typeOf(String name, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        // PostHog keeps campaign and flag properties as strings whatever their first value.
        if (name.startsWith("utm_") || name.startsWith("$feature/")) {
            return Type.STRING;
        }
        return switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Type.NUMERIC;
            case VALUE_TRUE, VALUE_FALSE -> Type.BOOLEAN;
            default -> Type.STRING;
        };
    }

    Type typeOf(String name) {
        return types.getOrDefault(name, Type.STRING);
    }

    void clear() {
        types.clear();
    }
}
