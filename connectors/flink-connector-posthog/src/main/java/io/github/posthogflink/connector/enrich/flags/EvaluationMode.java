package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

/** Where flags are evaluated. */
@PublicEvolving
public enum EvaluationMode {
    /**
     * In-process, from definitions polled from {@code /flags/definitions}; flags local evaluation
     * cannot decide go to {@code /flags?v=2} (unless only-evaluate-locally is set). Needs a
     * personal API key or a feature-flags secure key.
     */
    LOCAL,
    /** Every distinct id is evaluated by PostHog's {@code /flags?v=2}, through a cache. */
    REMOTE
}
