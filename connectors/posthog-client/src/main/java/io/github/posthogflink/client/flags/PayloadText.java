package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * Reads a flag payload as its JSON text. PostHog serves {@code metadata.payload} as whatever the
 * flag's {@code filters.payloads} holds: a JSON-encoded string for flags saved by today's API
 * ({@code posthog/api/feature_flag.py} normalizes to strings), any JSON value for flags saved
 * before that ({@code rust/feature-flags} {@code FlagDetailsMetadata.payload: Option<Value>}). A
 * string is taken as the JSON text it holds, as PostHog's SDKs decode it; any other value becomes
 * its JSON serialization. So {@code "{\"a\":1}"} and {@code {"a":1}} both read as {@code {"a":1}}.
 */
final class PayloadText extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        return of(parser.readValueAsTree());
    }

    /** The JSON text a payload value stands for, or null for none. */
    static String of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    @Override
    public String getNullValue(DeserializationContext context) {
        return null;
    }
}
