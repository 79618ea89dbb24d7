package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

/** An async query's status ({@code query_status}); {@code results} holds the answer when done. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueryStatus(
        @JsonProperty("id") String id,
        @JsonProperty("complete") boolean complete,
        @JsonProperty("error") boolean error,
        @JsonProperty("error_message") @Nullable String errorMessage,
        @JsonProperty("results") @Nullable JsonNode results) {}
