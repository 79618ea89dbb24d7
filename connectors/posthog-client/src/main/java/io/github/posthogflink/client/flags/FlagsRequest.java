package io.github.posthogflink.client.flags;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * What {@code /flags?v=2} evaluates: a distinct id, its groups, and property overrides. {@code
 * flagKeys} limits evaluation to those flags (null: all).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FlagsRequest(
        @JsonProperty("distinct_id") String distinctId,
        @JsonProperty("groups") @Nullable Map<String, String> groups,
        @JsonProperty("person_properties") @Nullable Map<String, Object> personProperties,
        @JsonProperty("group_properties") @Nullable
                Map<String, Map<String, Object>> groupProperties,
        @JsonProperty("flag_keys_to_evaluate") @Nullable Collection<String> flagKeys,
        @JsonProperty("geoip_disable") boolean geoipDisable)
        implements Serializable {

    public static FlagsRequest of(String distinctId) {
        return new FlagsRequest(distinctId, null, null, null, null, true);
    }

    public FlagsRequest withGroups(Map<String, String> newGroups) {
        return new FlagsRequest(
                distinctId, newGroups, personProperties, groupProperties, flagKeys, geoipDisable);
    }

    public FlagsRequest withPersonProperties(Map<String, Object> properties) {
        return new FlagsRequest(
                distinctId, groups, properties, groupProperties, flagKeys, geoipDisable);
    }

    public FlagsRequest withGroupProperties(Map<String, Map<String, Object>> properties) {
        return new FlagsRequest(
                distinctId, groups, personProperties, properties, flagKeys, geoipDisable);
    }

    public FlagsRequest withFlagKeys(Collection<String> keys) {
        return new FlagsRequest(
                distinctId, groups, personProperties, groupProperties, keys, geoipDisable);
    }
}
