package io.github.posthogflink.testkit.hogql;

/**
 * The query is not valid HogQL, or uses what this engine does not support. Its {@link #kind()} says
 * which, so the server can answer as PostHog distinguishes them ({@code posthog/hogql/errors.py}):
 * a syntax error, a query error (valid syntax that does not resolve or is refused), a construct
 * only the testkit does not support, or a failure while running.
 */
public class HogQLException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as PostHog's error classes separate it. */
    public enum Kind {
        /** PostHog's {@code SyntaxError}: code {@code hogql_syntax_error}. */
        SYNTAX,
        /** PostHog's {@code QueryError} (unknown field or table, refused clause, bad type). */
        QUERY,
        /**
         * Valid HogQL that the testkit does not support (JOIN, subqueries, ...). Every such message
         * starts with {@code Unsupported}.
         */
        UNSUPPORTED,
        /** The embedded database rejected the translated query (a ClickHouse error in PostHog). */
        EXECUTION
    }

    private final Kind kind;

    /** A query error, or a testkit limitation when the detail starts with {@code Unsupported}. */
    public HogQLException(String detail) {
        this(detail.startsWith("Unsupported") ? Kind.UNSUPPORTED : Kind.QUERY, detail, null);
    }

    public HogQLException(String detail, Throwable cause) {
        this(Kind.EXECUTION, detail, cause);
    }

    public HogQLException(Kind kind, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
    }

    /** A syntax error. */
    static HogQLException syntax(String detail) {
        return new HogQLException(Kind.SYNTAX, detail, null);
    }

    public Kind kind() {
        return kind;
    }
}
