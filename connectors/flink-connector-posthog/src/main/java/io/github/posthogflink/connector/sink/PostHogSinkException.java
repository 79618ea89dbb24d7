package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

/** The PostHog sink cannot go on: a refused event under the fail-job policy, or a fatal status. */
@PublicEvolving
public class PostHogSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PostHogSinkException(String message) {
        super(message);
    }

    public PostHogSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
