package io.github.posthogflink.connector.enrich.flags;

/** Who decided a flag. */
public enum FlagEvaluationSource {
    /** The in-process evaluator, from polled definitions. */
    LOCAL,
    /** PostHog's {@code /flags?v=2} (possibly answered from the cache). */
    REMOTE
}
