package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;

/** Evaluates feature flags in-process, exactly as PostHog does. */
public final class LocalFlagEvaluator {
    // STUB: implemented by the flag-evaluation work.
    public LocalFlagEvaluator(FlagDefinitions definitions) {}

    /**
     * Evaluates one flag.
     *
     * @throws InconclusiveMatchException when only PostHog's {@code /flags} can decide
     */
    public FlagResult evaluate(String flagKey, EvaluationContext context)
            throws InconclusiveMatchException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
