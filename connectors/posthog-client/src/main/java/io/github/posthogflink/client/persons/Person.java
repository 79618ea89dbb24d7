package io.github.posthogflink.client.persons;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A PostHog person. {@code id} is kept as text: PostHog has served both numeric ids and uuids
 * there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Person(
        @JsonProperty("id") @Nullable String id,
        @JsonProperty("uuid") @Nullable String uuid,
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("distinct_ids") List<String> distinctIds,
        @JsonProperty("properties") Map<String, Object> properties,
        @JsonProperty("created_at") @Nullable String createdAt,
        @JsonProperty("last_seen_at") @Nullable String lastSeenAt)
        implements Serializable {

    public Person {
        distinctIds = distinctIds == null ? List.of() : distinctIds;
        properties = properties == null ? Map.of() : properties;
    }

    /** The id to address this person by in API paths: its uuid when known. */
    public String key() {
        return uuid != null ? uuid : id;
    }
}
