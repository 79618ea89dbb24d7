package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A converter found an element malformed (not an object, no event name, an invalid uuid). The sink
 * hands such elements to the error handler as {@link RejectReason#INVALID_EVENT}.
 */
@PublicEvolving
public class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
