package io.github.posthogflink.jobs.failure;

import javax.annotation.Nullable;

/**
 * A failure as the pipeline reports it: its {@link ExitCode}, what went wrong and what to do about
 * it, printed as one line {@code error: <problem> (<hint>)}. The original exception, if any, is the
 * cause (logged at DEBUG, printed under {@code --verbose}). Messages never hold a key or an event's
 * content.
 */
public final class PipelineFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;
    private final String problem;
    @Nullable private final String hint;

    private PipelineFailure(
            ExitCode exitCode, String problem, @Nullable String hint, @Nullable Throwable cause) {
        super(problem + (hint == null ? "" : " (" + hint + ")"), cause);
        this.exitCode = exitCode;
        this.problem = problem;
        this.hint = hint;
    }

    public static PipelineFailure usage(String problem) {
        return new PipelineFailure(ExitCode.USAGE, problem, "see --help", null);
    }

    public static PipelineFailure usage(String problem, String hint) {
        return new PipelineFailure(ExitCode.USAGE, problem, hint, null);
    }

    public static PipelineFailure configuration(
            String problem, String hint, @Nullable Throwable cause) {
        return new PipelineFailure(ExitCode.CONFIGURATION, problem, hint, cause);
    }

    public static PipelineFailure unreachable(
            String problem, String hint, @Nullable Throwable cause) {
        return new PipelineFailure(ExitCode.UNREACHABLE, problem, hint, cause);
    }

    public static PipelineFailure jobFailed(
            String problem, String hint, @Nullable Throwable cause) {
        return new PipelineFailure(ExitCode.JOB_FAILED, problem, hint, cause);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String problem() {
        return problem;
    }

    @Nullable
    public String hint() {
        return hint;
    }

    /** The one line the pipeline prints: {@code error: <problem> (<hint>)}. */
    public String line() {
        return "error: " + getMessage();
    }
}
