package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

/** What a lookup does when the request budget cannot serve it within the configured timeout. */
@PublicEvolving
public enum BudgetPolicy {
    /** Wait for budget however long it takes (backpressure). */
    WAIT,
    /** Emit the element without a person, with status {@link PersonStatus#SKIPPED_BUDGET}. */
    EMIT_WITHOUT_PERSON,
    /** Fail the lookup (and so the job) with a {@link BudgetExceededException}. */
    FAIL
}
