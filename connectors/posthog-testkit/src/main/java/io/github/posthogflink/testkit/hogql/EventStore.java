package io.github.posthogflink.testkit.hogql;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The DuckDB tables behind HogQL. Events are deduplicated as they arrive: the table keeps only the
 * last copy of each (uuid, event, distinct_id, toDate(timestamp)), which is what ClickHouse's
 * ReplacingMergeTree shows once it has merged. Changes are not thread-safe: the engine serialises
 * them.
 */
final class EventStore implements AutoCloseable {
    private final DuckDBConnection connection;

    /** The insertion sequence number of the live copy of each dedup key. */
    private final Map<DedupKey, Long> liveCopies = new HashMap<>();

    private long sequence;

    private record DedupKey(UUID uuid, String event, String distinctId, long epochDay) {}

    EventStore() {
        try {
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute(
                        "CREATE TABLE events (seq BIGINT, uuid UUID, event VARCHAR, distinct_id"
                                + " VARCHAR, properties VARCHAR, \"timestamp\" TIMESTAMP)");
                statement.execute(
                        "CREATE TABLE persons (id UUID, properties VARCHAR, created_at TIMESTAMP)");
                statement.execute(
                        "CREATE TABLE person_distinct_ids (distinct_id VARCHAR, person_id UUID)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start embedded DuckDB", e);
        }
    }

    /** A new connection to the same database, for one query; the caller closes it. */
    Connection readerConnection() throws SQLException {
        return connection.duplicate();
    }

    void insertEvents(Collection<EventRow> events) throws SQLException {
        long first = sequence + 1;
        try (DuckDBAppender appender = connection.createAppender("main", "events")) {
            long seq = first;
            for (EventRow row : events) {
                appender.beginRow();
                appender.append(seq++);
                appender.append(row.uuid());
                appender.append(row.event());
                appender.append(row.distinctId());
                appender.append(row.propertiesJson());
                appender.appendEpochMicros(micros(row.timestamp()));
                appender.endRow();
            }
        }
        List<Long> superseded = new ArrayList<>();
        for (EventRow row : events) {
            long day = Math.floorDiv(row.timestamp().getEpochSecond(), 86_400L);
            Long previous =
                    liveCopies.put(
                            new DedupKey(row.uuid(), row.event(), row.distinctId(), day),
                            ++sequence);
            if (previous != null) {
                superseded.add(previous);
            }
        }
        for (int from = 0; from < superseded.size(); from += 1000) {
            List<Long> chunk = superseded.subList(from, Math.min(superseded.size(), from + 1000));
            StringBuilder in = new StringBuilder();
            for (Long seq : chunk) {
                in.append(in.length() == 0 ? "" : ",").append(seq.longValue());
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM events WHERE seq IN (" + in + ")");
            }
        }
    }

    void upsertPerson(PersonRow person) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            deletePersonRows(person.uuid());
            try (PreparedStatement delete =
                    connection.prepareStatement(
                            "DELETE FROM person_distinct_ids WHERE distinct_id = ?")) {
                for (String distinctId : person.distinctIds()) {
                    delete.setString(1, distinctId);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement insert =
                    connection.prepareStatement(
                            "INSERT INTO persons VALUES (?, ?, make_timestamp(?))")) {
                insert.setObject(1, person.uuid());
                insert.setString(2, person.propertiesJson());
                insert.setLong(3, micros(person.createdAt()));
                insert.executeUpdate();
            }
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO person_distinct_ids VALUES (?, ?)")) {
                for (String distinctId : person.distinctIds()) {
                    insert.setString(1, distinctId);
                    insert.setObject(2, person.uuid());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Replaces these persons (distinct uuids) and their distinct ids: one delete per thousand
     * persons, then appenders, instead of a transaction of five statements per person.
     */
    void upsertPersons(List<PersonRow> persons) throws SQLException {
        for (int from = 0; from < persons.size(); from += 1000) {
            List<PersonRow> chunk = persons.subList(from, Math.min(persons.size(), from + 1000));
            StringBuilder uuids = new StringBuilder();
            StringBuilder distinctIds = new StringBuilder();
            for (PersonRow person : chunk) {
                uuids.append(uuids.length() == 0 ? "'" : ",'").append(person.uuid()).append('\'');
                for (String distinctId : person.distinctIds()) {
                    distinctIds
                            .append(distinctIds.length() == 0 ? "'" : ",'")
                            .append(distinctId.replace("'", "''"))
                            .append('\'');
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM persons WHERE id IN (" + uuids + ")");
                statement.execute(
                        "DELETE FROM person_distinct_ids WHERE person_id IN (" + uuids + ")");
                if (distinctIds.length() > 0) {
                    statement.execute(
                            "DELETE FROM person_distinct_ids WHERE distinct_id IN ("
                                    + distinctIds
                                    + ")");
                }
            }
        }
        try (DuckDBAppender appender = connection.createAppender("main", "persons")) {
            for (PersonRow person : persons) {
                appender.beginRow();
                appender.append(person.uuid());
                appender.append(person.propertiesJson());
                appender.appendEpochMicros(micros(person.createdAt()));
                appender.endRow();
            }
        }
        try (DuckDBAppender appender = connection.createAppender("main", "person_distinct_ids")) {
            for (PersonRow person : persons) {
                for (String distinctId : person.distinctIds()) {
                    appender.beginRow();
                    appender.append(distinctId);
                    appender.append(person.uuid());
                    appender.endRow();
                }
            }
        }
    }

    void deletePerson(UUID personUuid) throws SQLException {
        deletePersonRows(personUuid);
    }

    private void deletePersonRows(UUID personUuid) throws SQLException {
        for (String table :
                new String[] {"persons WHERE id", "person_distinct_ids WHERE person_id"}) {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " = ?")) {
                delete.setObject(1, personUuid);
                delete.executeUpdate();
            }
        }
    }

    void clear() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM events");
            statement.execute("DELETE FROM persons");
            statement.execute("DELETE FROM person_distinct_ids");
        }
        liveCopies.clear();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot close embedded DuckDB", e);
        }
    }
}
