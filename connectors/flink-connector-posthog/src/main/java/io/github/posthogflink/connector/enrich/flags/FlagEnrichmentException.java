package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

/**
 * An event's flags could not be evaluated, with failure policy {@link FlagFailurePolicy#FAIL}. The
 * cause is the remote failure (a {@code PostHogException}, a timeout, ...). Retry predicates of an
 * {@code AsyncRetryStrategy} can match on this type.
 */
@PublicEvolving
public class FlagEnrichmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlagEnrichmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
