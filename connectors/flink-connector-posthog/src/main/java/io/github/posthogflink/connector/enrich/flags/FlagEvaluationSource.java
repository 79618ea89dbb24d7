package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

/** Who decided a flag. */
@PublicEvolving
public enum FlagEvaluationSource {
    /** The in-process evaluator, from polled definitions. */
    LOCAL,
    /** PostHog's {@code /flags?v=2} (possibly answered from the cache). */
    REMOTE
}
