package io.github.posthogflink.client.capture;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A capture event, as PostHog's {@code /batch/} and {@code /i/v0/e/} take it. The timestamp and
 * uuid are fixed when the event is built, so a resend is the same event to PostHog.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostHogEvent(
        @JsonProperty("event") String event,
        @JsonProperty("distinct_id") String distinctId,
        @JsonProperty("properties") Map<String, Object> properties,
        @JsonProperty("timestamp") @Nullable Instant timestamp,
        @JsonProperty("uuid") @Nullable UUID uuid)
        implements Serializable {

    public PostHogEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(distinctId, "distinctId");
        if (event.isEmpty()) {
            throw new IllegalArgumentException("event must not be empty");
        }
        if (distinctId.isEmpty()) {
            throw new IllegalArgumentException("distinct_id must not be empty");
        }
        properties = properties == null ? Map.of() : properties;
    }

    public static Builder builder(String event, String distinctId) {
        return new Builder(event, distinctId);
    }

    public PostHogEvent withUuid(UUID newUuid) {
        return new PostHogEvent(event, distinctId, properties, timestamp, newUuid);
    }

    public PostHogEvent withTimestamp(Instant newTimestamp) {
        return new PostHogEvent(event, distinctId, properties, newTimestamp, uuid);
    }

    /** A copy with more properties; existing keys are replaced. */
    public PostHogEvent withProperties(Map<String, ?> extra) {
        Map<String, Object> merged = new LinkedHashMap<>(properties);
        merged.putAll(extra);
        return new PostHogEvent(event, distinctId, merged, timestamp, uuid);
    }

    /** Builds a {@link PostHogEvent}. */
    public static final class Builder {
        private final String event;
        private final String distinctId;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        @Nullable private Instant timestamp;
        @Nullable private UUID uuid;

        private Builder(String event, String distinctId) {
            this.event = event;
            this.distinctId = distinctId;
        }

        public Builder property(String key, @Nullable Object value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, ?> values) {
            properties.putAll(values);
            return this;
        }

        /** Person properties to set ({@code $set}). */
        public Builder set(Map<String, ?> values) {
            properties.put("$set", new LinkedHashMap<>(values));
            return this;
        }

        /** Person properties to set only if absent ({@code $set_once}). */
        public Builder setOnce(Map<String, ?> values) {
            properties.put("$set_once", new LinkedHashMap<>(values));
            return this;
        }

        /** Adds the event to a group ({@code $groups}). */
        @SuppressWarnings("unchecked")
        public Builder group(String groupType, String groupKey) {
            Map<String, Object> groups =
                    (Map<String, Object>)
                            properties.computeIfAbsent("$groups", k -> new LinkedHashMap<>());
            groups.put(groupType, groupKey);
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder uuid(UUID uuid) {
            this.uuid = uuid;
            return this;
        }

        public PostHogEvent build() {
            return new PostHogEvent(event, distinctId, properties, timestamp, uuid);
        }
    }
}
