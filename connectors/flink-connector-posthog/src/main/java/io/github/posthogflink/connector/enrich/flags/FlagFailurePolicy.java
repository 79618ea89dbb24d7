package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

/** What happens to an event whose flags could not be evaluated (remote failure or timeout). */
@PublicEvolving
public enum FlagFailurePolicy {
    /** The async operation fails; Flink's restart strategy (or an AsyncRetryStrategy) decides. */
    FAIL,
    /**
     * The event goes on, with the flags that could be decided (none in remote mode); counted in the
     * {@code failures} metric.
     */
    EMIT_WITHOUT_FLAGS
}
