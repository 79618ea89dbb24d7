package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;

/**
 * Counts rows that turn up behind the cursor of an unbounded incremental read.
 *
 * <p>A poll reads the rows up to {@code now - maxIngestionDelay}; a row PostHog ingests later than
 * that, with a timestamp the cursor has passed, is never read. Such a row is <em>late</em>: its
 * (cursor, tie-breaker) key is at or before the cursor and the source did not emit it. To see them,
 * the source keeps how many rows it emitted per minute of the cursor column, and every check
 * interval counts the rows PostHog now holds per minute in the window behind the cursor: the excess
 * in a minute is late rows (counted once). The window starts no earlier than the first whole minute
 * after the position this reader started from (rows before it were emitted, or not, by an earlier
 * run), and at most {@code lateRowWindow} before the cursor. Rows later than that window (lateness
 * above {@code maxIngestionDelay + lateRowWindow}) are not seen; duplicates that PostHog merges
 * away can hide late rows, never invent them.
 */
final class LateRows {
    static final String MINUTE = "phf_minute";
    static final String ROWS = "phf_rows";

    private final Duration window;
    private final Duration interval;
    private final long trackedFromMinute;

    /** Rows emitted, and late rows already counted, per epoch minute. */
    private final TreeMap<Long, Long> emitted = new TreeMap<>();

    private final TreeMap<Long, Long> late = new TreeMap<>();
    private long nextCheckNanos;
    private boolean disabled;

    LateRows(Duration window, Duration interval, String startCursorTimestamp, long nowNanos) {
        this.window = window;
        this.interval = interval;
        this.trackedFromMinute = minute(startCursorTimestamp) + 1;
        this.nextCheckNanos = nowNanos + interval.toNanos();
    }

    /** Notes a row the source emits. */
    void emitted(String cursorTimestamp) {
        emitted.merge(minute(cursorTimestamp), 1L, Long::sum);
    }

    /** Whether a check is due: caught up, interval passed, not disabled. */
    boolean due(long nowNanos) {
        return !disabled && nowNanos >= nextCheckNanos;
    }

    /** Stops checking, e.g. after the check query failed for good. */
    void disable() {
        disabled = true;
    }

    /**
     * The query counting the rows behind the cursor, or null when the window is empty (the reader
     * has not yet passed a whole minute).
     */
    @Nullable
    HogQLQuery query(
            HogQLSourceOptions options, String cursorTimestamp, String cursorUuid, long nowNanos) {
        nextCheckNanos = nowNanos + interval.toNanos();
        long from = windowStart(cursorTimestamp);
        prune(from);
        if (from > minute(cursorTimestamp)) {
            return null;
        }
        return HogQLQueries.lateRowCount(
                options, Instant.ofEpochSecond(from * 60).toString(), cursorTimestamp, cursorUuid);
    }

    /** Applies a check's counts; returns the late rows it found that were not counted before. */
    long apply(QueryResponse response) {
        HogQLResultSchema schema = HogQLResultSchema.of(response);
        int minuteColumn = schema.indexOf(MINUTE);
        int rowsColumn = schema.indexOf(ROWS);
        long found = 0;
        for (var row : response.results()) {
            long minute = minute(String.valueOf(row.get(minuteColumn)));
            long rows = ((Number) row.get(rowsColumn)).longValue();
            long known = emitted.getOrDefault(minute, 0L) + late.getOrDefault(minute, 0L);
            if (rows > known) {
                found += rows - known;
                late.merge(minute, rows - known, Long::sum);
            }
        }
        return found;
    }

    private long windowStart(String cursorTimestamp) {
        long fromWindow = minute(cursorTimestamp) - Math.max(1, window.toMinutes());
        return Math.max(fromWindow, trackedFromMinute);
    }

    private void prune(long fromMinute) {
        emitted.headMap(fromMinute).clear();
        late.headMap(fromMinute).clear();
    }

    private static long minute(String timestamp) {
        return Math.floorDiv(FlinkTarget.parseInstant(timestamp).getEpochSecond(), 60);
    }
}
