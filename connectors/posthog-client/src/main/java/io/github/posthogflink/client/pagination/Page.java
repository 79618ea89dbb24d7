package io.github.posthogflink.client.pagination;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.util.List;

/**
 * One page of a PostHog list: {@code count}, {@code next}, {@code previous}, {@code results}; or,
 * for lists PostHog pages by offset only (session recordings), {@code results} and {@code
 * has_next}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Page<T>(
        @JsonProperty("count") @Nullable Long count,
        @JsonProperty("next") @Nullable String next,
        @JsonProperty("previous") @Nullable String previous,
        @JsonProperty("results") List<T> results,
        @JsonProperty("has_next") @Nullable Boolean hasMore) {

    public Page {
        results = results == null ? List.of() : results;
    }

    /** A page with links and no {@code has_next}. */
    public Page(
            @Nullable Long count,
            @Nullable String next,
            @Nullable String previous,
            List<T> results) {
        this(count, next, previous, results, null);
    }

    /** Whether a {@code next} link follows. */
    public boolean hasNext() {
        return next != null && !next.isEmpty();
    }

    /** Whether more items follow that only an offset reaches: {@code has_next} without a link. */
    public boolean hasMoreByOffset() {
        return !hasNext() && Boolean.TRUE.equals(hasMore);
    }
}
