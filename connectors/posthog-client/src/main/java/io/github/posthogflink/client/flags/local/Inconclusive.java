package io.github.posthogflink.client.flags.local;

/** Cheap (stack-trace-free) exceptions for the evaluator's control flow. */
final class Inconclusive {
    private Inconclusive() {}

    /** Local evaluation cannot decide; other conditions may still decide the flag. */
    static InconclusiveMatchException of(String message) {
        return new InconclusiveMatchException(message, false);
    }

    /** PostHog's server must decide the whole flag (static cohort, malformed cohort). */
    static RequiresServerEvaluationException requiresServer(String message) {
        return new RequiresServerEvaluationException(message);
    }
}
