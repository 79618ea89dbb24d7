package io.github.posthogflink.testkit.hogql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs HogQL over the testkit's events and persons, on an embedded SQL engine (DuckDB).
 *
 * <p>Supports the subset documented in {@code HOGQL.md}; anything else fails with a {@link
 * HogQLException} whose message explains what is unsupported. Events are deduplicated as they are
 * stored, as ClickHouse's ReplacingMergeTree collapses them (same uuid, event, distinct_id and
 * day). Row limits follow PostHog: without LIMIT, {@code limit} rows (default 100, at most 50,000)
 * and {@code hasMore}; an explicit LIMIT is capped at 50,000. All methods are thread-safe; queries
 * run concurrently with each other.
 */
public final class HogQLEngine implements AutoCloseable {
    /** PostHog's {@code DEFAULT_RETURNED_ROWS}. */
    public static final int DEFAULT_LIMIT = 100;

    /** PostHog's {@code MAX_SELECT_RETURNED_ROWS}. */
    public static final int MAX_LIMIT = 50_000;

    /**
     * Not a PostHog field: on {@code persons}, the person's distinct ids, one a line, which the
     * testkit's ActorsQuery {@code search} matches (PostHog uses a subquery on {@code
     * person_distinct_ids}, which this engine lacks).
     */
    public static final String PERSON_DISTINCT_IDS_FIELD = "_testkit_distinct_ids";

    private static final Logger LOG = LoggerFactory.getLogger(HogQLEngine.class);

    /**
     * Queries share the read lock, each on its own DuckDB connection; changes take the write lock.
     */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private final Clock clock;
    private final EventStore store = new EventStore();
    private final PropertyTypes eventProperties = new PropertyTypes();
    private final PropertyTypes personProperties = new PropertyTypes();
    private final PropertyTypes groupProperties = new PropertyTypes();
    private boolean closed;

    public HogQLEngine() {
        this(Clock.systemUTC());
    }

    /** An engine whose {@code now()} and {@code today()} read {@code clock}. */
    public HogQLEngine(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void insertEvents(Collection<EventRow> events) {
        List<EventRow> rows = new ArrayList<>(events.size());
        for (EventRow event : events) {
            Objects.requireNonNull(event.uuid(), "event uuid");
            Objects.requireNonNull(event.event(), "event name");
            Objects.requireNonNull(event.distinctId(), "distinct_id");
            Objects.requireNonNull(event.timestamp(), "timestamp");
            String properties = event.propertiesJson() == null ? "{}" : event.propertiesJson();
            eventProperties.observe(properties);
            rows.add(
                    properties == event.propertiesJson()
                            ? event
                            : new EventRow(
                                    event.uuid(),
                                    event.event(),
                                    event.distinctId(),
                                    properties,
                                    event.timestamp(),
                                    event.createdAt(),
                                    event.elementsChain()));
        }
        withStore(() -> store.insertEvents(rows));
    }

    /** Inserts or replaces the person with this uuid, and its distinct ids. */
    public void upsertPerson(PersonRow person) {
        Objects.requireNonNull(person.uuid(), "person uuid");
        String properties = person.propertiesJson() == null ? "{}" : person.propertiesJson();
        personProperties.observe(properties);
        PersonRow row =
                new PersonRow(
                        person.uuid(),
                        person.distinctIds() == null ? List.of() : person.distinctIds(),
                        properties,
                        person.createdAt() == null ? clock.instant() : person.createdAt());
        withStore(() -> store.upsertPerson(row));
    }

    /** Inserts or replaces these persons (distinct uuids), and their distinct ids, at once. */
    public void upsertPersons(Collection<PersonRow> persons) {
        if (persons.isEmpty()) {
            return;
        }
        List<PersonRow> rows = new ArrayList<>(persons.size());
        for (PersonRow person : persons) {
            Objects.requireNonNull(person.uuid(), "person uuid");
            String properties = person.propertiesJson() == null ? "{}" : person.propertiesJson();
            personProperties.observe(properties);
            rows.add(
                    new PersonRow(
                            person.uuid(),
                            person.distinctIds() == null ? List.of() : person.distinctIds(),
                            properties,
                            person.createdAt() == null ? clock.instant() : person.createdAt()));
        }
        withStore(() -> store.upsertPersons(rows));
    }

    public void deletePerson(UUID personUuid) {
        withStore(() -> store.deletePerson(personUuid));
    }

    /** Replaces the {@code groups} table with these groups. */
    public void replaceGroups(Collection<GroupRow> groups) {
        List<GroupRow> rows = new ArrayList<>(groups.size());
        for (GroupRow group : groups) {
            String properties = group.propertiesJson() == null ? "{}" : group.propertiesJson();
            groupProperties.observe(properties);
            rows.add(
                    new GroupRow(
                            group.index(),
                            Objects.requireNonNull(group.key(), "group key"),
                            properties,
                            group.createdAt(),
                            group.updatedAt()));
        }
        withStore(() -> store.replaceGroups(rows));
    }

    /** Adds a finished query to the {@code query_log} table. */
    public void logQuery(QueryLogRow row) {
        withStore(() -> store.insertQueryLog(row));
    }

    /**
     * Runs a HogQL query with its {@code values} placeholders.
     *
     * @param limit the row limit applied when the query has no LIMIT (PostHog: 100 by default, at
     *     most 50,000)
     */
    public HogQLResult execute(String hogql, Map<String, Object> values, int limit)
            throws HogQLException {
        return execute(HogQLRequest.of(hogql, values).withPage(limit, 0));
    }

    /**
     * Runs a query as PostHog's query runners do: a query without LIMIT is paginated ({@code LIMIT
     * page+1 OFFSET offset}, {@code hasMore}); an explicit LIMIT is capped at 50,000.
     */
    public HogQLResult execute(HogQLRequest request) throws HogQLException {
        Ast.Select select = Parser.parse(request.hogql(), request.values());
        if (request.refuseOffset() && select.offset() != null) {
            throw new HogQLException(HogQLRequest.OFFSET_NOT_ALLOWED_MESSAGE);
        }
        boolean paginated = select.limit() == null;
        int pageLimit =
                request.pageLimit() <= 0 ? DEFAULT_LIMIT : Math.min(request.pageLimit(), MAX_LIMIT);
        long fetchLimit;
        long offset;
        if (paginated) {
            // PostHog's HogQLHasMorePaginator asks for one row more, and sets its own OFFSET.
            fetchLimit = pageLimit + 1L;
            offset = Math.max(0, request.pageOffset());
        } else {
            fetchLimit = Math.min(select.limit(), MAX_LIMIT);
            offset = select.offset() == null ? 0 : select.offset();
        }
        Translator.Translation translation =
                Translator.translate(
                        select,
                        eventProperties,
                        personProperties,
                        groupProperties,
                        clock.instant(),
                        fetchLimit,
                        offset);
        List<List<Object>> rows = run(translation);
        boolean hasMore = false;
        if (paginated && rows.size() > pageLimit) {
            hasMore = true;
            rows = rows.subList(0, pageLimit);
        }
        List<String> types = translation.types().stream().map(HType::clickhouseName).toList();
        return new HogQLResult(
                translation.columns(),
                types,
                rows,
                hasMore,
                paginated ? pageLimit : (int) fetchLimit,
                (int) offset,
                translation.hogql(),
                paginated);
    }

    private List<List<Object>> run(Translator.Translation translation) throws HogQLException {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (Connection connection = store.readerConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(translation.sql())) {
                return ResultReader.read(rs, translation.types());
            }
        } catch (SQLException e) {
            LOG.debug("DuckDB rejected {} from {}", translation.sql(), translation.hogql(), e);
            throw new HogQLException(
                    HogQLException.Kind.EXECUTION, "Query failed: " + firstLine(e.getMessage()), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The line of DuckDB's message that says what failed. DuckDB 1.5 puts a generic "unsuccessful
     * or closed pending query result" line first and the reason (e.g. a Binder Error) after it.
     */
    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String[] lines = message.split("\n");
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || text.contains("unsuccessful or closed pending query result")) {
                continue;
            }
            return text.startsWith("Error: ") ? text.substring("Error: ".length()) : text;
        }
        return lines[0];
    }

    /** Removes all events and persons. */
    public void clear() {
        withStore(store::clear);
        eventProperties.clear();
        personProperties.clear();
        groupProperties.clear();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                store.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private interface StoreAction {
        void run() throws SQLException;
    }

    private void withStore(StoreAction action) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            action.run();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Embedded DuckDB failed: " + firstLine(e.getMessage()), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("HogQLEngine is closed");
        }
    }
}
