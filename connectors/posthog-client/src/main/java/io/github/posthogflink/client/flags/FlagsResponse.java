package io.github.posthogflink.client.flags;

import io.github.posthogflink.client.http.Json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostHog's {@code /flags?v=2} answer ({@code rust/feature-flags} {@code FlagsResponse}).
 *
 * @param flags each evaluated flag by key
 * @param errorsWhileComputingFlags whether some flag could not be evaluated
 * @param requestId the server's id for this evaluation
 * @param quotaLimited the resources over their billing quota ({@code ["feature_flags"]} when the
 *     project's flag quota is spent: {@code flags} is then empty); null when none is
 * @param evaluatedAt when PostHog evaluated the flags, epoch milliseconds; null if not sent
 * @param config with {@code config=true}, the project's remote config that PostHog merges into the
 *     answer's top level ({@code sessionRecording}, {@code supportedCompression}, {@code siteApps},
 *     ...); an empty object otherwise
 */
public record FlagsResponse(
        Map<String, FlagResult> flags,
        boolean errorsWhileComputingFlags,
        @Nullable String requestId,
        @Nullable List<String> quotaLimited,
        @Nullable Long evaluatedAt,
        JsonNode config)
        implements Serializable {

    /** The quota resource of feature flags, as {@code quotaLimited} names it. */
    public static final String FEATURE_FLAGS_QUOTA = "feature_flags";

    /** The fields of the answer itself; every other top-level field is remote config. */
    private static final Set<String> CORE_FIELDS =
            Set.of(
                    "flags",
                    "errorsWhileComputingFlags",
                    "requestId",
                    "quotaLimited",
                    "evaluatedAt");

    public FlagsResponse {
        flags = flags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        quotaLimited = quotaLimited == null ? null : List.copyOf(quotaLimited);
        config = config == null ? Json.MAPPER.createObjectNode() : config.deepCopy();
    }

    /** An answer without remote config. */
    public FlagsResponse(
            Map<String, FlagResult> flags,
            boolean errorsWhileComputingFlags,
            @Nullable String requestId,
            @Nullable List<String> quotaLimited) {
        this(flags, errorsWhileComputingFlags, requestId, quotaLimited, null, null);
    }

    /** Reads the answer; fields outside the core ones are the remote config. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FlagsResponse fromJson(ObjectNode body) {
        Map<String, FlagResult> flags = new LinkedHashMap<>();
        body.path("flags")
                .properties()
                .forEach(e -> flags.put(e.getKey(), Json.convert(e.getValue(), FlagResult.class)));
        List<String> quota = null;
        if (body.path("quotaLimited").isArray()) {
            quota = new ArrayList<>();
            for (JsonNode resource : body.get("quotaLimited")) {
                quota.add(resource.asText());
            }
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        body.properties()
                .forEach(
                        e -> {
                            if (!CORE_FIELDS.contains(e.getKey())) {
                                config.set(e.getKey(), e.getValue());
                            }
                        });
        JsonNode requestId = body.get("requestId");
        JsonNode evaluatedAt = body.get("evaluatedAt");
        return new FlagsResponse(
                flags,
                body.path("errorsWhileComputingFlags").asBoolean(false),
                requestId == null || requestId.isNull() ? null : requestId.asText(),
                quota,
                evaluatedAt != null && evaluatedAt.canConvertToLong() ? evaluatedAt.asLong() : null,
                config);
    }

    @Nullable
    public FlagResult flag(String key) {
        return flags.get(key);
    }

    /**
     * Whether PostHog refused to evaluate because the project's feature flag quota is spent: the
     * answer then holds no flag at all, which is not the same as every flag being off.
     */
    public boolean isQuotaLimited() {
        return quotaLimited != null && quotaLimited.contains(FEATURE_FLAGS_QUOTA);
    }
}
