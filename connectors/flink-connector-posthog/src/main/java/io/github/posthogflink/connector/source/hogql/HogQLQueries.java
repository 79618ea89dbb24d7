package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.connector.source.hogql.HogQLSourceOptions.IncrementalQuery;

import javax.annotation.Nullable;

import java.util.Map;

/** Builds the HogQL a poll sends. Every variable part is a {@code values} placeholder. */
final class HogQLQueries {
    static final String CURSOR_TS = "phf_cursor_ts";
    static final String CURSOR_UUID = "phf_cursor_uuid";
    static final String UNTIL = "phf_until";
    static final String PAGE_SIZE = "phf_page_size";
    static final String PAGE_AFTER = "phf_page_after";
    static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";
    static final String WINDOW_FROM = "phf_window_from";

    private HogQLQueries() {}

    /**
     * The next page after the cursor: {@code (ts, uuid) > (cursor_ts, cursor_uuid)} written as
     * {@code ts > c OR (ts = c AND uuid > u)}, up to {@code until}, ordered, limited; never OFFSET.
     */
    static String incrementalText(IncrementalQuery q) {
        String ts = q.cursorColumn();
        String tie = q.tieBreakerColumn();
        String cursor = "toDateTime({" + CURSOR_TS + "})";
        StringBuilder sb = new StringBuilder("SELECT ").append(q.select());
        sb.append(" FROM ").append(q.from()).append(" WHERE ");
        if (q.where() != null && !q.where().isBlank()) {
            sb.append('(').append(q.where()).append(") AND ");
        }
        sb.append('(')
                .append(ts)
                .append(" > ")
                .append(cursor)
                .append(" OR (")
                .append(ts)
                .append(" = ")
                .append(cursor)
                .append(" AND ")
                .append(tie)
                .append(" > {")
                .append(CURSOR_UUID)
                .append("}))");
        sb.append(" AND ").append(ts).append(" <= toDateTime({").append(UNTIL).append("})");
        sb.append(" ORDER BY ").append(ts).append(", ").append(tie);
        sb.append(" LIMIT {").append(PAGE_SIZE).append('}');
        return sb.toString();
    }

    static HogQLQuery incremental(
            HogQLSourceOptions options,
            String cursorTimestamp,
            String cursorUuid,
            String until,
            int pageSize) {
        HogQLQuery query = HogQLQuery.hogql(incrementalText(options.incremental()));
        withUserValues(query, options.values());
        return query.value(CURSOR_TS, cursorTimestamp)
                .value(CURSOR_UUID, cursorUuid)
                .value(UNTIL, until)
                .value(PAGE_SIZE, pageSize);
    }

    /**
     * The late-row check ({@link LateRows}): the rows of the incremental query's table and filter
     * from {@code windowFrom} up to and including the cursor, counted per minute of the cursor
     * column.
     */
    /** The query a source runs once at build time to learn its result's schema: one row. */
    static HogQLQuery schemaProbe(HogQLSourceOptions options) {
        if (options.mode() == HogQLMode.SNAPSHOT) {
            return snapshotPoll(options, null);
        }
        return incremental(
                options,
                options.startTimestamp().toString(),
                NIL_UUID,
                options.endTimestamp() != null
                        ? options.endTimestamp().toString()
                        : options.clock().instant().toString(),
                1);
    }

    static HogQLQuery lateRowCount(
            HogQLSourceOptions options,
            String windowFrom,
            String cursorTimestamp,
            String cursorUuid) {
        IncrementalQuery q = options.incremental();
        String ts = q.cursorColumn();
        String cursor = "toDateTime({" + CURSOR_TS + "})";
        StringBuilder sb = new StringBuilder("SELECT toStartOfMinute(").append(ts);
        sb.append(") AS ").append(LateRows.MINUTE).append(", count() AS ").append(LateRows.ROWS);
        sb.append(" FROM ").append(q.from()).append(" WHERE ");
        if (q.where() != null && !q.where().isBlank()) {
            sb.append('(').append(q.where()).append(") AND ");
        }
        sb.append(ts).append(" >= toDateTime({").append(WINDOW_FROM).append("}) AND (");
        sb.append(ts).append(" < ").append(cursor).append(" OR (").append(ts).append(" = ");
        sb.append(cursor).append(" AND ").append(q.tieBreakerColumn()).append(" <= {");
        sb.append(CURSOR_UUID).append("}))");
        sb.append(" GROUP BY ")
                .append(LateRows.MINUTE)
                .append(" ORDER BY ")
                .append(LateRows.MINUTE);
        sb.append(" LIMIT 10000");
        HogQLQuery query = HogQLQuery.hogql(sb.toString());
        withUserValues(query, options.values());
        return query.value(WINDOW_FROM, windowFrom)
                .value(CURSOR_TS, cursorTimestamp)
                .value(CURSOR_UUID, cursorUuid);
    }

    static HogQLQuery snapshot(HogQLSourceOptions options) {
        return withUserValues(HogQLQuery.hogql(options.snapshotQuery()), options.values());
    }

    /**
     * What a snapshot poll sends: the query as written, or for a paged snapshot the page after
     * {@code after} (null: the first page, after {@code firstPageAfter}).
     */
    static HogQLQuery snapshotPoll(HogQLSourceOptions options, @Nullable Object after) {
        if (options.wrapsSnapshotPages()) {
            return wrappedPage(options, after);
        }
        HogQLQuery query = snapshot(options);
        if (!options.pagedSnapshot()) {
            return query;
        }
        return query.value(PAGE_AFTER, after != null ? after : options.snapshotFirstPageAfter())
                .value(PAGE_SIZE, options.pageSize());
    }

    /**
     * A page of any snapshot query, by keyset on its result's key column: {@code SELECT * FROM
     * (query) [WHERE key > {after}] ORDER BY key LIMIT {size}}. The first page has no lower bound,
     * so no value below every key is needed.
     */
    static String wrappedPageText(String query, String keyColumn, boolean first) {
        String key = HogQLLiterals.identifier(keyColumn);
        StringBuilder sb = new StringBuilder("SELECT * FROM (").append(stripSemicolon(query));
        sb.append(')');
        if (!first) {
            sb.append(" WHERE ").append(key).append(" > {").append(PAGE_AFTER).append('}');
        }
        sb.append(" ORDER BY ").append(key).append(" LIMIT {").append(PAGE_SIZE).append('}');
        return sb.toString();
    }

    private static HogQLQuery wrappedPage(HogQLSourceOptions options, @Nullable Object after) {
        HogQLQuery query =
                HogQLQuery.hogql(
                        wrappedPageText(
                                options.snapshotQuery(), options.snapshotPageKey(), after == null));
        withUserValues(query, options.values());
        if (after != null) {
            query.value(PAGE_AFTER, after);
        }
        return query.value(PAGE_SIZE, options.pageSize());
    }

    private static String stripSemicolon(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        return q;
    }

    /** Result column of {@link #oldestRow}: the oldest cursor value, and the number of rows. */
    static final String OLDEST = "phf_oldest";

    static final String ROWS = "phf_rows";

    /**
     * The oldest row of a bounded incremental read up to {@code until}, for planning its time
     * slices: {@code SELECT min(ts), count() FROM from WHERE (where) AND ts <= until}.
     */
    static HogQLQuery oldestRow(HogQLSourceOptions options, String until) {
        IncrementalQuery q = options.incremental();
        String ts = q.cursorColumn();
        StringBuilder sb = new StringBuilder("SELECT min(").append(ts).append(") AS ");
        sb.append(OLDEST).append(", count() AS ").append(ROWS);
        sb.append(" FROM ").append(q.from()).append(" WHERE ");
        if (q.where() != null && !q.where().isBlank()) {
            sb.append('(').append(q.where()).append(") AND ");
        }
        sb.append(ts).append(" <= toDateTime({").append(UNTIL).append("})");
        HogQLQuery query = HogQLQuery.hogql(sb.toString());
        withUserValues(query, options.values());
        return query.value(UNTIL, until);
    }

    private static HogQLQuery withUserValues(
            HogQLQuery query, @Nullable Map<String, Object> values) {
        if (values != null) {
            values.forEach(query::value);
        }
        return query;
    }
}
