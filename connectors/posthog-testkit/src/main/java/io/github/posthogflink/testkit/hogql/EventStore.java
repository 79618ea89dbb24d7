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
 * The DuckDB tables behind HogQL: events, persons and their distinct ids, groups, and the query
 * log. Events are deduplicated as they arrive: the table keeps only the last copy of each (uuid,
 * event, distinct_id, toDate(timestamp)), which is what ClickHouse's ReplacingMergeTree shows once
 * it has merged. Changes are not thread-safe: the engine serialises them.
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
                                + " VARCHAR, properties VARCHAR, \"timestamp\" TIMESTAMP,"
                                + " created_at TIMESTAMP, elements_chain VARCHAR)");
                statement.execute(
                        "CREATE TABLE persons (id UUID, properties VARCHAR, created_at TIMESTAMP)");
                statement.execute(
                        "CREATE TABLE person_distinct_ids (distinct_id VARCHAR, person_id UUID)");
                statement.execute(
                        "CREATE TABLE groups (group_type_index INTEGER, group_key VARCHAR,"
                                + " properties VARCHAR, created_at TIMESTAMP, updated_at"
                                + " TIMESTAMP)");
                statement.execute(
                        "CREATE TABLE query_log (event_date DATE, event_time TIMESTAMP, query_id"
                                + " VARCHAR, endpoint VARCHAR, query VARCHAR, query_start_time"
                                + " TIMESTAMP, query_duration_ms BIGINT, name VARCHAR, created_by"
                                + " BIGINT, read_rows BIGINT, read_bytes BIGINT, result_rows"
                                + " BIGINT, result_bytes BIGINT, memory_usage BIGINT, status"
                                + " VARCHAR, exception_code BIGINT, exception_name VARCHAR,"
                                + " is_personal_api_key_request BOOLEAN, api_key_label VARCHAR,"
                                + " api_key_mask VARCHAR, cpu_microseconds BIGINT)");
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
                appender.appendEpochMicros(
                        micros(row.createdAt() == null ? row.timestamp() : row.createdAt()));
                appender.append(row.elementsChain() == null ? "" : row.elementsChain());
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

    /** Replaces every group with these. */
    void replaceGroups(Collection<GroupRow> groups) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM groups");
        }
        try (DuckDBAppender appender = connection.createAppender("main", "groups")) {
            for (GroupRow group : groups) {
                appender.beginRow();
                appender.append(group.index());
                appender.append(group.key());
                appender.append(group.propertiesJson());
                appender.appendEpochMicros(micros(group.createdAt()));
                appender.appendEpochMicros(micros(group.updatedAt()));
                appender.endRow();
            }
        }
    }

    void insertQueryLog(QueryLogRow row) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO query_log VALUES (CAST(make_timestamp(?) AS DATE),"
                                + " make_timestamp(?), ?, ?, ?, make_timestamp(?), ?, ?, 0, ?, 0,"
                                + " ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)")) {
            long end = micros(row.endTime());
            long start = micros(row.startTime());
            int i = 1;
            insert.setLong(i++, end);
            insert.setLong(i++, end);
            insert.setString(i++, row.queryId());
            insert.setString(i++, row.endpoint());
            insert.setString(i++, row.query());
            insert.setLong(i++, start);
            insert.setLong(i++, Math.max(0, (end - start) / 1000));
            insert.setString(i++, row.name());
            insert.setLong(i++, row.readRows());
            insert.setLong(i++, row.resultRows());
            insert.setLong(i++, row.resultBytes());
            insert.setString(i++, row.status());
            insert.setLong(i++, row.exceptionCode());
            insert.setString(i++, row.exceptionName());
            insert.setBoolean(i++, row.personalApiKey());
            insert.setString(i++, row.apiKeyLabel());
            insert.setString(i++, row.apiKeyMask());
            insert.setLong(i, Math.max(0, end - start));
            insert.executeUpdate();
        }
    }

    void clear() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table :
                    new String[] {
                        "events", "persons", "person_distinct_ids", "groups", "query_log"
                    }) {
                statement.execute("DELETE FROM " + table);
            }
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
