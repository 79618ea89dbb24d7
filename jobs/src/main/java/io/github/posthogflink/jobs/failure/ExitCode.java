package io.github.posthogflink.jobs.failure;

/**
 * The pipeline's exit codes: one per class of failure, so scripts and operators can tell them
 * apart.
 */
public enum ExitCode {
    /** The job ran (or, detached, was submitted). */
    OK(0),
    /** The job started and failed: see the error line and the log. */
    JOB_FAILED(1),
    /** Bad options, or the jar started the wrong way. */
    USAGE(2),
    /** PostHog refused a key, a project, a scope or a query: a setting to fix. */
    CONFIGURATION(3),
    /** PostHog could not be reached (connection, DNS, TLS, timeout) or kept answering 5xx/429. */
    UNREACHABLE(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
