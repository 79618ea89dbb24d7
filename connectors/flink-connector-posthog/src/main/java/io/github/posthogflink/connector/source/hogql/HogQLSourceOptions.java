package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;

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
        boolean asyncExecution,
        Duration asyncStatusInterval,
        Duration queryTimeout,
        Duration failureBackoff,
        Duration maxFailureBackoff,
        Instant startTimestamp,
        Duration maxIngestionDelay,
        Clock clock)
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

    /**
     * True when a snapshot is read in pages of {@code pageSize} rows, by {@code snapshotPageKey}.
     */
    boolean pagedSnapshot() {
        return snapshotPageKey != null;
    }
}
