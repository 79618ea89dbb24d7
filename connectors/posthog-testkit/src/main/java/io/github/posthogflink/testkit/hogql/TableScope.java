package io.github.posthogflink.testkit.hogql;

import java.util.List;

/**
 * One table in the FROM clause of one query: how its fields resolve to DuckDB expressions, and the
 * DuckDB FROM clause that provides them (joins added as fields need them).
 */
interface TableScope {
    /** The HogQL name of the table. */
    String name();

    /** The columns {@code SELECT *} expands to, as PostHog's {@code get_asterisk}. */
    List<String> starColumns();

    /** Resolves a field chain with any table prefix already removed. */
    Sql resolve(List<String> chain, String hogql) throws HogQLException;

    /** The FROM clause in DuckDB, e.g. {@code " FROM events AS ev"}, built after resolving. */
    String fromClause();

    /**
     * A column that identifies a row of the table within one statement, so sorted pages can be cut
     * on it before the columns are computed; null when the table has none (derived tables).
     */
    String rowIdColumn();
}
