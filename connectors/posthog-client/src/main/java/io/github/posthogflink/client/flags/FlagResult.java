package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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

    /** The payload as a JSON string, or null. */
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

    /** Flag identity and payload ({@code metadata} in the v2 response). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlagMetadata(
            @JsonProperty("id") @Nullable Long id,
            @JsonProperty("version") @Nullable Integer version,
            @JsonProperty("description") @Nullable String description,
            @JsonProperty("payload") @Nullable String payload)
            implements Serializable {}
}
