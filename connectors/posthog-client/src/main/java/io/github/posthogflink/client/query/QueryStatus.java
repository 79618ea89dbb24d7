package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

/**
 * An async query's status ({@code query_status}); {@code results} holds the answer when done. A
 * failed query is not {@code complete}: it has {@code error} set, and {@code errorMessage} when
 * PostHog may show why ({@code posthog/clickhouse/client/execute_async.py}). {@code answerBytes} is
 * the size of the HTTP body that carried the status (0 when unknown).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueryStatus(
        @JsonProperty("id") String id,
        @JsonProperty("complete") boolean complete,
        @JsonProperty("error") boolean error,
        @JsonProperty("error_message") @Nullable String errorMessage,
        @JsonProperty("results") @Nullable JsonNode results,
        @JsonIgnore long answerBytes) {

    public QueryStatus(
            String id,
            boolean complete,
            boolean error,
            @Nullable String errorMessage,
            @Nullable JsonNode results) {
        this(id, complete, error, errorMessage, results, 0);
    }

    /** This status, noting the size of the HTTP body it came in (not part of the JSON). */
    QueryStatus withAnswerBytes(long answerBytes) {
        return new QueryStatus(id, complete, error, errorMessage, results, answerBytes);
    }

    /** Neither done nor failed: poll again. */
    public boolean running() {
        return !complete && !error;
    }
}
