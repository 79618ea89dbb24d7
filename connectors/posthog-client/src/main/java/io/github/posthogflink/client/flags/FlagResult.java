package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * One flag's outcome, in the shape of PostHog's {@code /flags?v=2} response ({@code flags.<key>}).
 * Local evaluation produces the same type.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlagResult(
        @JsonProperty("key") String key,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("variant") @Nullable String variant,
        @JsonProperty("reason") @Nullable FlagReason reason,
        @JsonProperty("metadata") @Nullable FlagMetadata metadata,
        @JsonProperty("failed") @Nullable Boolean failed)
        implements Serializable {

    /** The value PostHog puts in {@code $feature/<key>}: the variant, else the enabled boolean. */
    public Object value() {
        return variant != null ? variant : enabled;
    }

    /**
     * The payload's JSON text, or null: {@code {"color":"blue"}} whether PostHog served it as a
     * JSON-encoded string or as a JSON object (see {@link FlagMetadata#payload()}).
     */
    @Nullable
    public String payload() {
        return metadata == null ? null : metadata.payload();
    }

    /** Why a flag evaluated as it did ({@code reason} in the v2 response). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlagReason(
            @JsonProperty("code") String code,
            @JsonProperty("condition_index") @Nullable Integer conditionIndex,
            @JsonProperty("description") @Nullable String description)
            implements Serializable {}

    /**
     * Flag identity and payload ({@code metadata} in the v2 response).
     *
     * @param payload the payload's JSON text; PostHog may serve it as a JSON-encoded string or as
     *     any JSON value, and both are read as the JSON text they stand for
     * @param hasExperiment whether the flag has a linked, non-deleted experiment ({@code
     *     has_experiment}); null when the server does not say (older deployments, local evaluation)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlagMetadata(
            @JsonProperty("id") @Nullable Long id,
            @JsonProperty("version") @Nullable Integer version,
            @JsonProperty("description") @Nullable String description,
            @JsonProperty("payload") @JsonDeserialize(using = PayloadText.class) @Nullable
                    String payload,
            @JsonProperty("has_experiment") @Nullable Boolean hasExperiment)
            implements Serializable {

        /** Metadata without experiment information. */
        public FlagMetadata(
                @Nullable Long id,
                @Nullable Integer version,
                @Nullable String description,
                @Nullable String payload) {
            this(id, version, description, payload, null);
        }
    }
}
