package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

/**
 * An async query's status ({@code query_status}); {@code results} holds the answer when done. A
 * failed query is not {@code complete}: it has {@code error} set, and {@code errorMessage} when
 * PostHog may show why ({@code posthog/clickhouse/client/execute_async.py}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueryStatus(
        @JsonProperty("id") String id,
        @JsonProperty("complete") boolean complete,
        @JsonProperty("error") boolean error,
        @JsonProperty("error_message") @Nullable String errorMessage,
        @JsonProperty("results") @Nullable JsonNode results) {

    /** Neither done nor failed: poll again. */
    public boolean running() {
        return !complete && !error;
    }
}
