package io.github.posthogflink.testkit.hogql;

/** The query is not valid HogQL, or uses what this engine does not support. */
public class HogQLException extends Exception {
    private static final long serialVersionUID = 1L;

    public HogQLException(String detail) {
        super(detail);
    }

    public HogQLException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
