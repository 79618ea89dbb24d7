package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;

/** A declared schema does not fit the HogQL result: a column is missing or has another type. */
@PublicEvolving
public class HogQLSchemaMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HogQLSchemaMismatchException(String message) {
        super(message);
    }
}
