package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

/** A lookup could not get request budget before its deadline. */
@PublicEvolving
public final class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BudgetExceededException(String message) {
        super(message, null, false, false);
    }
}
