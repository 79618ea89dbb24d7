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
import java.util.Collection;
import java.util.UUID;

/**
 * The DuckDB tables behind HogQL. Events are appended to {@code events_raw} with an insertion
 * sequence; {@code events_dedup} is rebuilt lazily before a query when events changed, keeping the
 * last copy of each (uuid, event, distinct_id, toDate(timestamp)), as ClickHouse's
 * ReplacingMergeTree does once it has merged. Not thread-safe: the engine serialises calls.
 */
final class EventStore implements AutoCloseable {
    private final DuckDBConnection connection;
    private long sequence;
    private boolean dedupStale = true;

    EventStore() {
        try {
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute(
                        "CREATE TABLE events_raw (seq BIGINT, uuid UUID, event VARCHAR, distinct_id"
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

    Connection connection() {
        return connection;
    }

    void insertEvents(Collection<EventRow> events) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender("main", "events_raw")) {
            for (EventRow row : events) {
                appender.beginRow();
                appender.append(++sequence);
                appender.append(row.uuid());
                appender.append(row.event());
                appender.append(row.distinctId());
                appender.append(row.propertiesJson());
                appender.appendEpochMicros(micros(row.timestamp()));
                appender.endRow();
            }
        }
        dedupStale = true;
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

    /** Rebuilds the deduplicated events table if events arrived since the last query. */
    void refreshDedup() throws SQLException {
        if (!dedupStale) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE OR REPLACE TABLE events_dedup AS SELECT uuid, event, distinct_id,"
                            + " properties, \"timestamp\" FROM events_raw QUALIFY row_number() OVER"
                            + " (PARTITION BY uuid, event, distinct_id, CAST(\"timestamp\" AS DATE)"
                            + " ORDER BY seq DESC) = 1");
        }
        dedupStale = false;
    }

    void clear() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM events_raw");
            statement.execute("DELETE FROM persons");
            statement.execute("DELETE FROM person_distinct_ids");
        }
        dedupStale = true;
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
