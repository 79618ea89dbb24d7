package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.query.QueryResponse;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.types.RowKind;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one poll's response into records and advances the split reader's position. */
final class HogQLPollResults {

    private HogQLPollResults() {}

    /** An incremental page: rows in cursor order, each carrying the cursor after it. */
    static RecordsWithSplitIds<HogQLRecord> page(HogQLSplitReader reader, QueryResponse response) {
        HogQLSourceOptions options = reader.options();
        HogQLResultSchema schema = HogQLResultSchema.of(response);
        String cursorColumn = options.incremental().cursorColumn();
        String tieColumn = options.incremental().tieBreakerColumn();
        int ts = column(schema, cursorColumn);
        int tie = column(schema, tieColumn);
        RecordsBySplits.Builder<HogQLRecord> records = new RecordsBySplits.Builder<>();
        List<List<Object>> rows = response.results();
        Instant pollTime = reader.pollTime();
        for (int i = 0; i < rows.size(); i++) {
            List<Object> values = rows.get(i);
            String cursorTs = String.valueOf(values.get(ts));
            String cursorUuid = String.valueOf(values.get(tie));
            reader.emitting(cursorTs);
            records.add(
                    reader.splitId(),
                    new HogQLRecord(
                            schema,
                            values,
                            RowKind.INSERT,
                            0,
                            pollTime,
                            i,
                            rows.size(),
                            cursorTs,
                            cursorUuid,
                            null,
                            false));
            if (i == rows.size() - 1) {
                reader.advanceCursor(cursorTs, cursorUuid, rows.size());
            }
        }
        if (!rows.isEmpty() && schema.isDateTime(cursorColumn)) {
            Instant last =
                    FlinkTarget.parseInstant(String.valueOf(rows.get(rows.size() - 1).get(ts)));
            reader.metrics().fetchEventTimeLag(options.clock().millis() - last.toEpochMilli());
        }
        reader.metrics().fetched(rows.size());
        boolean full = rows.size() >= reader.requestedPageSize();
        reader.caughtUp(!full);
        if (full) {
            reader.pollAgainIn(java.time.Duration.ZERO); // a full page: more may follow at once
        } else {
            reader.pollAgainIn(options.pollInterval());
        }
        if (reader.limitReached() || (!full && options.bounded())) {
            records.addFinishedSplit(reader.splitId());
            reader.splitFinished();
        }
        return records.build();
    }

    /**
     * A page of a paged snapshot: a full page asks for the next one at once; a short one completes
     * the snapshot, emitted like an unpaged one.
     */
    static RecordsWithSplitIds<HogQLRecord> snapshotPage(
            HogQLSplitReader reader, QueryResponse response) {
        HogQLSourceOptions options = reader.options();
        HogQLResultSchema schema = HogQLResultSchema.of(response);
        SnapshotPages pages = reader.snapshotPages();
        List<List<Object>> page = response.results();
        pages.add(page, column(schema, options.snapshotPageKey()), options.snapshotPageKey());
        if (page.size() >= options.pageSize()) {
            reader.pollAgainIn(Duration.ZERO);
            return HogQLSplitReader.nothing();
        }
        reader.snapshotPagesDone();
        return snapshot(reader, schema, pages.rows(), pages.pollTime());
    }

    /** A snapshot poll: every row as a new version, or the changes since the last poll. */
    static RecordsWithSplitIds<HogQLRecord> snapshot(
            HogQLSplitReader reader, QueryResponse response) {
        HogQLSourceOptions options = reader.options();
        if (response.more()) {
            throw new IllegalStateException(
                    "The snapshot query '"
                            + options.queryName()
                            + "' returned more rows than one response holds (hasMore): PostHog"
                            + " returns 100 rows unless the query has a LIMIT; add LIMIT n"
                            + " (at most 50,000) or narrow the query");
        }
        return snapshot(
                reader, HogQLResultSchema.of(response), response.results(), reader.pollTime());
    }

    private static RecordsWithSplitIds<HogQLRecord> snapshot(
            HogQLSplitReader reader,
            HogQLResultSchema schema,
            List<List<Object>> rows,
            Instant pollTime) {
        HogQLSourceOptions options = reader.options();
        long version = reader.version() + 1;
        RecordsBySplits.Builder<HogQLRecord> records = new RecordsBySplits.Builder<>();
        List<HogQLRecord> out = new ArrayList<>();
        if (options.changelog()) {
            changes(reader, schema, rows, version, pollTime, out);
        } else if (rows.isEmpty()) {
            out.add(record(schema, null, RowKind.INSERT, version, pollTime, 0, 0, null));
        } else {
            for (int i = 0; i < rows.size(); i++) {
                out.add(
                        record(
                                schema,
                                rows.get(i),
                                RowKind.INSERT,
                                version,
                                pollTime,
                                i,
                                rows.size(),
                                null));
            }
        }
        reader.metrics().fetched(out.size());
        for (int i = 0; i < out.size(); i++) {
            HogQLRecord r = out.get(i);
            if (i == out.size() - 1) {
                r = withLast(r);
            }
            records.add(reader.splitId(), r);
        }
        reader.advanceVersion(version);
        reader.pollAgainIn(options.pollInterval());
        if (options.bounded()) {
            records.addFinishedSplit(reader.splitId());
            reader.splitFinished();
        }
        return records.build();
    }

    private static void changes(
            HogQLSplitReader reader,
            HogQLResultSchema schema,
            List<List<Object>> rows,
            long version,
            Instant pollTime,
            List<HogQLRecord> out) {
        int[] keyColumns =
                reader.options().changelogKey().stream().mapToInt(k -> column(schema, k)).toArray();
        Map<String, List<Object>> previous = reader.previousRows();
        Map<String, List<Object>> current = new LinkedHashMap<>();
        for (List<Object> row : rows) {
            current.put(key(row, keyColumns), row);
        }
        int index = 0;
        for (Map.Entry<String, List<Object>> e : current.entrySet()) {
            List<Object> before = previous.get(e.getKey());
            if (before == null || !before.equals(e.getValue())) {
                RowKind kind = before == null ? RowKind.INSERT : RowKind.UPDATE_AFTER;
                out.add(
                        record(
                                schema,
                                e.getValue(),
                                kind,
                                version,
                                pollTime,
                                index++,
                                -1,
                                e.getKey()));
            }
        }
        for (Map.Entry<String, List<Object>> e : previous.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                out.add(
                        record(
                                schema,
                                e.getValue(),
                                RowKind.DELETE,
                                version,
                                pollTime,
                                index++,
                                -1,
                                e.getKey()));
            }
        }
        reader.replacePreviousRows(current);
    }

    private static HogQLRecord record(
            HogQLResultSchema schema,
            List<Object> values,
            RowKind kind,
            long version,
            Instant pollTime,
            int index,
            int count,
            String key) {
        return new HogQLRecord(
                schema, values, kind, version, pollTime, index, count, null, null, key, false);
    }

    private static HogQLRecord withLast(HogQLRecord r) {
        return new HogQLRecord(
                r.schema(),
                r.values(),
                r.kind(),
                r.version(),
                r.pollTime(),
                r.index(),
                r.count(),
                r.cursorTimestamp(),
                r.cursorUuid(),
                r.key(),
                true);
    }

    private static int column(HogQLResultSchema schema, String name) {
        int i = schema.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException(
                    "Column '"
                            + name
                            + "' is not in the HogQL result "
                            + schema.columns()
                            + "; select it by that name");
        }
        return i;
    }

    private static String key(List<Object> row, int[] columns) {
        List<Object> key = new ArrayList<>(columns.length);
        for (int c : columns) {
            key.add(row.get(c));
        }
        try {
            return HogQLSplitSerializer.MAPPER.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
