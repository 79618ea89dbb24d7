package io.github.posthogflink.testkit.hogql;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** Runs HogQL over the testkit's events and persons, on an embedded SQL engine. */
public final class HogQLEngine implements AutoCloseable {
    // STUB: implemented by the HogQL work.

    public HogQLEngine() {}

    public void insertEvents(Collection<EventRow> events) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Inserts or replaces the person with this uuid, and its distinct ids. */
    public void upsertPerson(PersonRow person) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void deletePerson(UUID personUuid) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Runs a HogQL query with its {@code values} placeholders.
     *
     * @param limit the row limit applied when the query has no LIMIT (PostHog: 100 by default, at
     *     most 50,000)
     */
    public HogQLResult execute(String hogql, Map<String, Object> values, int limit)
            throws HogQLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Removes all events and persons. */
    public void clear() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {}
}
