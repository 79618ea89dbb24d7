package io.github.posthogflink.client.flags.local;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The local-evaluation payload of {@code /flags/definitions} (or {@code
 * /api/feature_flag/local_evaluation/}): {@code flags}, {@code group_type_mapping} and {@code
 * cohorts}.
 */
public final class FlagDefinitions {
    // STUB: implemented by the flag-evaluation work.
    public static FlagDefinitions parse(JsonNode localEvaluationResponse) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
