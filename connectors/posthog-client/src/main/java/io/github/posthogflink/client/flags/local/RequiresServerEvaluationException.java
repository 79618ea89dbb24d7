package io.github.posthogflink.client.flags.local;

/**
 * Local evaluation lacks server-side data (a static cohort, a malformed cohort): the whole flag
 * goes to PostHog's {@code /flags}, even if another condition could decide it locally.
 */
public class RequiresServerEvaluationException extends InconclusiveMatchException {
    private static final long serialVersionUID = 1L;

    public RequiresServerEvaluationException(String message) {
        super(message, false);
    }
}
