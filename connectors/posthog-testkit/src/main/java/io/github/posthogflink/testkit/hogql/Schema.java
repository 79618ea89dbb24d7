package io.github.posthogflink.testkit.hogql;

import java.util.List;
import java.util.Locale;

/**
 * The tables HogQL sees: the query's FROM table, as a {@link TableScope}, or none for a query
 * without FROM. New tables are added in {@link #scope}.
 */
final class Schema {
    /** The tables this engine knows, for error messages. */
    static final List<String> TABLES =
            List.of(
                    EventsScope.NAME,
                    PersonsScope.NAME,
                    SessionsScope.NAME,
                    GroupsScope.NAME,
                    QueryLogScope.NAME);

    private final TableScope scope;

    Schema(String table, PropertyTypes events, PropertyTypes persons, PropertyTypes groups)
            throws HogQLException {
        this.scope =
                table == null
                        ? null
                        : scope(table.toLowerCase(Locale.ROOT), events, persons, groups, table);
    }

    /** A derived table: the query's FROM is a subquery. */
    Schema(TableScope derived) {
        this.scope = derived;
    }

    private static TableScope scope(
            String lower,
            PropertyTypes events,
            PropertyTypes persons,
            PropertyTypes groups,
            String table)
            throws HogQLException {
        return switch (lower) {
            case EventsScope.NAME -> new EventsScope(events, persons);
            case PersonsScope.NAME -> new PersonsScope(persons);
            case SessionsScope.NAME -> new SessionsScope();
            case GroupsScope.NAME -> new GroupsScope(groups);
            case QueryLogScope.NAME -> new QueryLogScope();
            default ->
                    throw new HogQLException(
                            "Unknown table `"
                                    + table
                                    + "`. This testkit supports: "
                                    + String.join(", ", TABLES));
        };
    }

    /** The table's HogQL name, or null without FROM. */
    String table() {
        return scope == null ? null : scope.name();
    }

    List<String> starColumns() {
        return scope.starColumns();
    }

    /** The FROM clause in DuckDB, joining what the resolved fields need; empty without FROM. */
    String fromClause() {
        return scope == null ? "" : scope.fromClause();
    }

    /** See {@link TableScope#rowIdColumn()}. */
    String rowIdColumn() {
        return scope == null ? null : scope.rowIdColumn();
    }

    /** Resolves a field chain with any table prefix already removed. */
    Sql resolve(List<String> chain, String hogql) throws HogQLException {
        if (scope == null) {
            throw new HogQLException(
                    "Unable to resolve field: " + chain.get(0) + " (no FROM clause)");
        }
        return scope.resolve(chain, hogql);
    }
}
