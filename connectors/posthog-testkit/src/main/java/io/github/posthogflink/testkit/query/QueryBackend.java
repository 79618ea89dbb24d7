package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.hogql.HogQLEngine;
import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.hogql.PersonRow;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Secrets;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Mirrors events and persons into the {@link HogQLEngine}, started lazily on the first query so
 * that servers which never query start fast and capture at full speed. Until then nothing is
 * copied; on start every stored event and person is loaded. The engine deduplicates events as
 * ClickHouse's ReplacingMergeTree does.
 *
 * <p>Person changes are only noted as they happen (capture changes a person with nearly every
 * event) and written to the engine in one batch before the next query, so that capture never waits
 * for DuckDB.
 */
public final class QueryBackend implements PersonStore.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBackend.class);

    private final Supplier<List<CapturedEvent>> storedEvents;
    private final Supplier<List<PersonSnapshot>> storedPersons;
    private final Function<UUID, Optional<PersonSnapshot>> currentPerson;
    private final Clock clock;
    private HogQLEngine engine;

    /** Persons changed since the engine last saw them (their current state is read at flush). */
    private final Set<UUID> changedPersons = new LinkedHashSet<>();

    public QueryBackend(
            Supplier<List<CapturedEvent>> storedEvents,
            Supplier<List<PersonSnapshot>> storedPersons,
            Function<UUID, Optional<PersonSnapshot>> currentPerson,
            Clock clock) {
        this.clock = clock;
        this.storedEvents = storedEvents;
        this.storedPersons = storedPersons;
        this.currentPerson = currentPerson;
    }

    /**
     * Runs {@code store} (which stores events and returns those to mirror) and mirrors them,
     * atomically with respect to the engine's lazy start.
     */
    public synchronized List<CapturedEvent> storeAndMirror(Supplier<List<CapturedEvent>> store) {
        List<CapturedEvent> fresh = store.get();
        if (engine != null && !fresh.isEmpty()) {
            guarded(() -> engine.insertEvents(fresh.stream().map(QueryBackend::row).toList()));
        }
        return fresh;
    }

    @Override
    public synchronized void upserted(PersonSnapshot person) {
        if (engine != null) {
            changedPersons.add(person.uuid());
        }
    }

    @Override
    public synchronized void deleted(UUID personUuid) {
        if (engine != null) {
            changedPersons.add(personUuid);
        }
    }

    public HogQLResult execute(String hogql, Map<String, Object> values, int limit)
            throws HogQLException {
        HogQLEngine current;
        synchronized (this) {
            current = started();
            flushChangedPersons(current);
        }
        return current.execute(hogql, values, limit);
    }

    private HogQLEngine started() {
        if (engine == null) {
            HogQLEngine created = new HogQLEngine(clock);
            created.insertEvents(storedEvents.get().stream().map(QueryBackend::row).toList());
            created.upsertPersons(storedPersons.get().stream().map(QueryBackend::row).toList());
            engine = created;
        }
        return engine;
    }

    /** Writes the current state of every changed person (or its absence) to the engine. */
    private void flushChangedPersons(HogQLEngine current) {
        if (changedPersons.isEmpty()) {
            return;
        }
        List<PersonRow> upserts = new ArrayList<>();
        List<UUID> deletes = new ArrayList<>();
        for (UUID uuid : changedPersons) {
            Optional<PersonSnapshot> person = currentPerson.apply(uuid);
            if (person.isPresent()) {
                upserts.add(row(person.get()));
            } else {
                deletes.add(uuid);
            }
        }
        changedPersons.clear();
        guarded(
                () -> {
                    deletes.forEach(current::deletePerson);
                    current.upsertPersons(upserts);
                });
    }

    public synchronized void clear() {
        changedPersons.clear();
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
            LOG.warn(
                    "The HogQL engine failed to mirror a change: {}", Secrets.redact(e.toString()));
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
