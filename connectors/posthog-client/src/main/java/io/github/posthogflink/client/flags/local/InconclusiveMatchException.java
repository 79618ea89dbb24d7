package io.github.posthogflink.client.flags.local;

/** Local evaluation cannot decide this flag; PostHog's {@code /flags} must. */
public class InconclusiveMatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public InconclusiveMatchException(String message) {
        super(message);
    }

    /** For hot paths: {@code writableStackTrace=false} skips the costly stack capture. */
    protected InconclusiveMatchException(String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
    }
}
