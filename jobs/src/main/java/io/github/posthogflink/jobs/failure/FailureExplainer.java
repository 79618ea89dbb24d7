package io.github.posthogflink.jobs.failure;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.connector.source.hogql.HogQLSchemaMismatchException;

import org.apache.flink.util.SerializedThrowable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns whatever ended a run (an exception from building or executing the job, Flink's wrappers
 * included) into the one {@link PipelineFailure} the user sees: a PostHog call's failure as {@link
 * PostHogFailures} explains it, a HogQL schema mismatch as configuration, anything else as a job
 * failure with its innermost cause. Flink's {@link SerializedThrowable}s are read back where they
 * can be, and by their original class name and message where they cannot.
 */
public final class FailureExplainer {
    private FailureExplainer() {}

    public static PipelineFailure explain(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof PipelineFailure p) {
                return p;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof PostHogException p) {
                return PostHogFailures.explain(p);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof HogQLSchemaMismatchException) {
                return PipelineFailure.configuration(
                        "the HogQL join's result does not fit: "
                                + PostHogFailures.oneLine(String.valueOf(t.getMessage())),
                        "fix --hogql-join or --hogql-join-key",
                        failure);
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        return PipelineFailure.jobFailed(
                "the job failed: " + describe(root),
                "run with --verbose for the stack trace",
                failure);
    }

    /** {@code <message> [<SimpleClassName>]}, on one line. */
    private static String describe(Throwable t) {
        String type =
                t instanceof SerializedThrowable s
                        ? simpleName(s.getOriginalErrorClassName())
                        : t.getClass().getSimpleName();
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return type;
        }
        return PostHogFailures.oneLine(message) + " [" + type + "]";
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    /** The cause chain, outermost first, with serialized throwables read back where possible. */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable t = failure;
        while (t != null && seen.put(t, Boolean.TRUE) == null) {
            if (t instanceof SerializedThrowable serialized) {
                Throwable original =
                        serialized.deserializeError(FailureExplainer.class.getClassLoader());
                if (original != serialized) {
                    t = original;
                    continue;
                }
            }
            out.add(t);
            t = t.getCause();
        }
        return out;
    }
}
