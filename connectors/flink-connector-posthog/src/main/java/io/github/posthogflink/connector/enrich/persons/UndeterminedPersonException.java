package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

/**
 * PostHog's answers did not settle a key: it was asked {@code 1 +}{@link
 * PersonLookupEngine#MAX_UNDETERMINED_RETRIES} times and each persons page was truncated before
 * covering it (more persons share the batch's values than one page holds). The key is neither found
 * nor known to be missing, so it is not cached.
 */
@PublicEvolving
public final class UndeterminedPersonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UndeterminedPersonException(String message) {
        super(message);
    }
}
