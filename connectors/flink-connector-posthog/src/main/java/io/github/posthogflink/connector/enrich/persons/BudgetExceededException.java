package io.github.posthogflink.connector.enrich.persons;

/** A lookup could not get request budget before its deadline. */
public final class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BudgetExceededException(String message) {
        super(message, null, false, false);
    }
}
