package io.github.posthogflink.client.pagination;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.util.List;

/** One page of a PostHog list: {@code count}, {@code next}, {@code previous}, {@code results}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Page<T>(
        @JsonProperty("count") @Nullable Long count,
        @JsonProperty("next") @Nullable String next,
        @JsonProperty("previous") @Nullable String previous,
        @JsonProperty("results") List<T> results) {

    public Page {
        results = results == null ? List.of() : results;
    }

    public boolean hasNext() {
        return next != null && !next.isEmpty();
    }
}
