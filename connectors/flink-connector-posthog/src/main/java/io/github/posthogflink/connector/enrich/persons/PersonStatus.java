package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

/** The outcome of one person lookup. */
@PublicEvolving
public enum PersonStatus {
    /** A person was found. */
    FOUND,
    /** PostHog has no person for the key. */
    NOT_FOUND,
    /** Not looked up: the request budget could not serve it within the timeout. */
    SKIPPED_BUDGET,
    /** The lookup did not complete within Flink's async timeout. */
    TIMED_OUT,
    /**
     * PostHog's answers did not settle the key in several requests (persons pages truncated before
     * covering it): a person may exist. Counted in the metric {@code undetermined}.
     */
    UNDETERMINED
}
