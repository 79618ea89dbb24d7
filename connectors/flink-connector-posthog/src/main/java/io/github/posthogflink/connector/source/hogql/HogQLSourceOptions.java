package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.query.QueryRefresh;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link HogQLSource} was built with; see {@link HogQLSourceBuilder} for meanings and
 * defaults.
 */
record HogQLSourceOptions(
        PostHogClientConfig client,
        HogQLMode mode,
        boolean bounded,
        @Nullable String snapshotQuery,
        @Nullable IncrementalQuery incremental,
        Map<String, Object> values,
        List<String> changelogKey,
        @Nullable String snapshotPageKey,
        @Nullable Object snapshotFirstPageAfter,
        Duration pollInterval,
        int pageSize,
        String queryName,
        QueryRefresh refresh,
        Duration asyncStatusInterval,
        Duration queryTimeout,
        Duration failureBackoff,
        Duration maxFailureBackoff,
        Instant startTimestamp,
        Duration maxIngestionDelay,
        Duration lateRowWindow,
        Duration lateRowCheckInterval,
        Clock clock,
        long limit,
        @Nullable Duration sliceSize,
        @Nullable Instant endTimestamp,
        boolean wrapsSnapshotPages)
        implements Serializable {

    /** The parts of an incremental query; the source adds the cursor filter, order and limit. */
    record IncrementalQuery(
            String select,
            String from,
            @Nullable String where,
            String cursorColumn,
            String tieBreakerColumn)
            implements Serializable {}

    boolean changelog() {
        return !changelogKey.isEmpty();
    }

    /** Whether queries start asynchronously and their status is polled. */
    boolean asyncExecution() {
        return refresh.isAsync();
    }

    /** Whether rows arriving behind the cursor are counted (unbounded incremental reading). */
    boolean checksLateRows() {
        return mode == HogQLMode.INCREMENTAL && !bounded && !lateRowWindow.isZero();
    }

    /**
     * True when a snapshot is read in pages of {@code pageSize} rows, by {@code snapshotPageKey}.
     */
    boolean pagedSnapshot() {
        return snapshotPageKey != null;
    }

    /** Whether each incremental split stops after {@code limit} rows. */
    boolean limited() {
        return limit > 0;
    }

    /** Whether a bounded incremental read is split into time slices read in parallel. */
    boolean sliced() {
        return sliceSize != null && bounded && mode == HogQLMode.INCREMENTAL;
    }
}
