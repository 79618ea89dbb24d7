package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.hogql.HogQLEngine;
import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.hogql.PersonRow;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mirrors events and persons into the {@link HogQLEngine}, started lazily on the first query so
 * that servers which never query start fast and capture at full speed. Until then nothing is
 * copied; on start every stored (deduplicated) event and person is loaded.
 */
public final class QueryBackend implements PersonStore.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBackend.class);

    private final Supplier<List<CapturedEvent>> storedEvents;
    private final Supplier<List<PersonSnapshot>> storedPersons;
    private HogQLEngine engine;

    public QueryBackend(
            Supplier<List<CapturedEvent>> storedEvents,
            Supplier<List<PersonSnapshot>> storedPersons) {
        this.storedEvents = storedEvents;
        this.storedPersons = storedPersons;
    }

    public synchronized void eventsStored(Collection<CapturedEvent> events) {
        if (engine != null && !events.isEmpty()) {
            guarded(() -> engine.insertEvents(events.stream().map(QueryBackend::row).toList()));
        }
    }

    @Override
    public synchronized void upserted(PersonSnapshot person) {
        if (engine != null) {
            guarded(() -> engine.upsertPerson(row(person)));
        }
    }

    @Override
    public synchronized void deleted(UUID personUuid) {
        if (engine != null) {
            guarded(() -> engine.deletePerson(personUuid));
        }
    }

    public HogQLResult execute(String hogql, Map<String, Object> values, int limit)
            throws HogQLException {
        HogQLEngine current;
        synchronized (this) {
            current = started();
        }
        return current.execute(hogql, values, limit);
    }

    private HogQLEngine started() {
        if (engine == null) {
            HogQLEngine created = new HogQLEngine();
            created.insertEvents(storedEvents.get().stream().map(QueryBackend::row).toList());
            storedPersons.get().forEach(p -> created.upsertPerson(row(p)));
            engine = created;
        }
        return engine;
    }

    public synchronized void clear() {
        if (engine != null) {
            guarded(engine::clear);
        }
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    private static void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("The HogQL engine failed to mirror a change: {}", e.toString());
        }
    }

    static EventRow row(CapturedEvent event) {
        return new EventRow(
                event.uuid(),
                event.event(),
                event.distinctId(),
                Json.text(event.properties()),
                event.timestamp());
    }

    static PersonRow row(PersonSnapshot person) {
        return new PersonRow(
                person.uuid(),
                person.distinctIds(),
                Json.text(person.properties()),
                person.createdAt());
    }
}
