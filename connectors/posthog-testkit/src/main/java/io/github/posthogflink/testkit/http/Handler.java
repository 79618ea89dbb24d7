package io.github.posthogflink.testkit.http;

/** Answers one routed request. Throw {@link ApiError} for PostHog-style errors. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
