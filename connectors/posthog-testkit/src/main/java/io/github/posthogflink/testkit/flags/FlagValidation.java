package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The checks PostHog's {@code FeatureFlagSerializer} makes on create and update. */
final class FlagValidation {
    private FlagValidation() {}

    static void validateCreate(ObjectNode body) {
        if (!body.hasNonNull("key")) {
            throw new ApiError(
                    400, "validation_error", "required", "This field is required.", "key");
        }
        validateKey(body.get("key"));
    }

    static void validateKey(JsonNode key) {
        if (!key.isTextual() || key.asText().isEmpty()) {
            throw new ApiError(
                    400, "validation_error", "blank", "This field may not be blank.", "key");
        }
        if (!key.asText().matches("[a-zA-Z0-9_-]+")) {
            throw ApiError.invalidInput(
                    "Only letters, numbers, hyphens (\"-\") & underscores (\"_\") are allowed.",
                    "key");
        }
    }

    /**
     * Fills {@code groups}, {@code multivariate} and {@code payloads}; checks variants and
     * payloads.
     */
    static ObjectNode normalizedFilters(JsonNode filters, boolean normalizePayloads) {
        ObjectNode result =
                filters != null && filters.isObject()
                        ? ((ObjectNode) filters).deepCopy()
                        : Json.object();
        if (!result.has("groups")) {
            result.putArray("groups");
        }
        if (!result.path("groups").isArray()) {
            throw ApiError.invalidInput(
                    "Filters are not valid (can only use person and cohort properties)", "filters");
        }
        if (!result.has("multivariate")) {
            result.putNull("multivariate");
        }
        if (!result.has("payloads")) {
            result.putObject("payloads");
        }
        JsonNode variants = result.path("multivariate").path("variants");
        if (variants.isArray()) {
            double total = 0;
            for (JsonNode variant : variants) {
                total += variant.path("rollout_percentage").asDouble();
            }
            if (Math.abs(total - 100) > 1e-9) {
                throw ApiError.invalidInput(
                        "Invalid variant definitions: Variant rollout percentages must sum to 100.",
                        "filters");
            }
        }
        if (result.get("payloads") instanceof ObjectNode payloads) {
            for (String key :
                    java.util.List.copyOf(
                            payloads.properties().stream()
                                    .map(java.util.Map.Entry::getKey)
                                    .toList())) {
                JsonNode value = payloads.get(key);
                if (normalizePayloads && !value.isTextual() && !value.isNull()) {
                    // PostHog stores payloads as JSON-encoded strings (FeatureFlagSerializer).
                    payloads.put(key, Json.text(value));
                }
            }
        }
        return result;
    }
}
