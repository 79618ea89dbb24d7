package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.hogql.GroupRow;
import io.github.posthogflink.testkit.hogql.HogQLEngine;
import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLRequest;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.hogql.PersonRow;
import io.github.posthogflink.testkit.hogql.QueryLogRow;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Secrets;
import io.github.posthogflink.testkit.persons.GroupSnapshot;
import io.github.posthogflink.testkit.persons.GroupStore;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Mirrors events, persons and groups into the {@link HogQLEngine}, started lazily on the first
 * query so that servers which never query start fast and capture at full speed. Until then nothing
 * is copied; on start every stored event and person is loaded. Events are mirrored as PostHog's
 * ingestion writes them ({@link IngestedEvents}); the engine deduplicates them as ClickHouse's
 * ReplacingMergeTree does. Groups are synchronised before each query.
 *
 * <p>Person changes are only noted as they happen and written to the engine in one batch before the
 * next query, so that capture never waits for DuckDB.
 */
public final class QueryBackend implements PersonStore.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBackend.class);

    private final Supplier<List<CapturedEvent>> storedEvents;
    private final Supplier<List<PersonSnapshot>> storedPersons;
    private final Function<UUID, Optional<PersonSnapshot>> currentPerson;
    private final GroupStore groups;
    private final Clock clock;
    private HogQLEngine engine;

    /** The groups last copied into the engine, by type index and key, with their update time. */
    private final Map<String, GroupRow> syncedGroups = new HashMap<>();

    private List<GroupSnapshot> lastGroups = List.of();
    private volatile Duration executionTime = Duration.ZERO;

    /** Persons changed since the engine last saw them (their current state is read at flush). */
    private final Set<UUID> changedPersons = new LinkedHashSet<>();

    public QueryBackend(
            Supplier<List<CapturedEvent>> storedEvents,
            Supplier<List<PersonSnapshot>> storedPersons,
            Function<UUID, Optional<PersonSnapshot>> currentPerson,
            GroupStore groups,
            Clock clock) {
        this.clock = clock;
        this.storedEvents = storedEvents;
        this.storedPersons = storedPersons;
        this.currentPerson = currentPerson;
        this.groups = groups;
    }

    /**
     * Every query takes at least this long from now on (the slow-query switch): a blocking query
     * answers this much later, an async one stays running as long. {@code Duration.ZERO} (the
     * default) turns it off.
     */
    public void executionTime(Duration time) {
        this.executionTime = time.isNegative() ? Duration.ZERO : time;
    }

    /**
     * Runs {@code store} (which stores events and returns those to mirror) and mirrors them,
     * atomically with respect to the engine's lazy start. New group types are assigned their index
     * on arrival, as ingestion does, whether or not anything is mirrored yet.
     */
    public synchronized List<CapturedEvent> storeAndMirror(Supplier<List<CapturedEvent>> store) {
        List<CapturedEvent> fresh = store.get();
        for (CapturedEvent event : fresh) {
            IngestedEvents.assignGroupTypes(event, groups::indexOf);
        }
        if (engine != null && !fresh.isEmpty()) {
            guarded(() -> engine.insertEvents(fresh.stream().map(this::row).toList()));
        }
        return fresh;
    }

    /** Inserts rows into the engine only (see {@code TestkitSeeds.queryOnlyEvents}). */
    public synchronized void insertQueryOnly(Collection<EventRow> rows) {
        started().insertEvents(rows);
    }

    @Override
    public synchronized void changed(UUID personUuid) {
        if (engine != null) {
            changedPersons.add(personUuid);
        }
    }

    /**
     * Runs a query, after the slow-query switch's time if set.
     *
     * @throws InterruptedException if the thread is interrupted while the slow query "runs" (the
     *     query was cancelled)
     */
    public HogQLResult execute(HogQLRequest request) throws HogQLException, InterruptedException {
        Duration wait = executionTime;
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis());
        }
        HogQLEngine current;
        synchronized (this) {
            current = started();
            flushChangedPersons(current);
            syncGroups(current);
        }
        return current.execute(request);
    }

    /** Adds a finished query to HogQL's {@code query_log}. */
    public void logQuery(QueryLogRow row) {
        HogQLEngine current;
        synchronized (this) {
            current = started();
        }
        guarded(() -> current.logQuery(row));
    }

    private HogQLEngine started() {
        if (engine == null) {
            HogQLEngine created = new HogQLEngine(clock);
            created.insertEvents(storedEvents.get().stream().map(this::row).toList());
            created.upsertPersons(storedPersons.get().stream().map(QueryBackend::row).toList());
            engine = created;
            lastGroups = List.of();
            syncedGroups.clear();
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

    /**
     * Copies the groups into the engine when they changed; a changed group's update time is now.
     */
    private void syncGroups(HogQLEngine current) {
        List<GroupSnapshot> now = groups.all();
        if (now.equals(lastGroups)) {
            return;
        }
        Instant at = clock.instant();
        Map<String, GroupRow> rows = new HashMap<>();
        List<GroupRow> all = new ArrayList<>(now.size());
        for (GroupSnapshot group : now) {
            String id = group.groupTypeIndex() + "\u0000" + group.groupKey();
            String properties = Json.text(group.properties());
            GroupRow before = syncedGroups.get(id);
            Instant updated =
                    before != null && before.propertiesJson().equals(properties)
                            ? before.updatedAt()
                            : before == null ? group.createdAt() : at;
            GroupRow row =
                    new GroupRow(
                            group.groupTypeIndex(),
                            group.groupKey(),
                            properties,
                            group.createdAt(),
                            updated);
            rows.put(id, row);
            all.add(row);
        }
        guarded(() -> current.replaceGroups(all));
        syncedGroups.clear();
        syncedGroups.putAll(rows);
        lastGroups = now;
    }

    public synchronized void clear() {
        if (engine != null) {
            guarded(engine::clear);
        }
        changedPersons.clear();
        lastGroups = List.of();
        syncedGroups.clear();
        executionTime = Duration.ZERO;
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

    private EventRow row(CapturedEvent event) {
        return IngestedEvents.row(event, groups::indexOf);
    }

    static PersonRow row(PersonSnapshot person) {
        return new PersonRow(
                person.uuid(),
                person.distinctIds(),
                Json.text(person.properties()),
                person.createdAt());
    }
}
