package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** PostHog's {@code /flags?v=2} answer. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FlagsResponse(
        @JsonProperty("flags") Map<String, FlagResult> flags,
        @JsonProperty("errorsWhileComputingFlags") boolean errorsWhileComputingFlags,
        @JsonProperty("requestId") @Nullable String requestId,
        @JsonProperty("quotaLimited") @Nullable List<String> quotaLimited)
        implements Serializable {

    public FlagsResponse {
        flags = flags == null ? Map.of() : flags;
    }

    @Nullable
    public FlagResult flag(String key) {
        return flags.get(key);
    }
}
