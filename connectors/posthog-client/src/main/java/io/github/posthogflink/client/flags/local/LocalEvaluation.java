package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;

import java.util.Map;
import java.util.Set;

/**
 * The outcome of evaluating several flags locally.
 *
 * @param decided flags decided locally, by key, in evaluation order
 * @param undecided flags only PostHog's {@code /flags} can decide (inconclusive, or unknown to the
 *     definitions), to be requested remotely
 */
public record LocalEvaluation(Map<String, FlagResult> decided, Set<String> undecided) {
    public LocalEvaluation {
        decided = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(decided));
        undecided = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(undecided));
    }

    /** True when every requested flag was decided locally. */
    public boolean complete() {
        return undecided.isEmpty();
    }
}
