package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.query.QueryRefresh;
import io.github.posthogflink.connector.source.hogql.HogQLMode;
import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;
import io.github.posthogflink.connector.source.hogql.HogQLSource;
import io.github.posthogflink.connector.source.hogql.HogQLSourceBuilder;

import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The validated settings of a {@code posthog-hogql} table, applied to a {@link HogQLSource}. */
record HogQLTableSettings(
        PostHogClientConfig client,
        HogQLMode mode,
        @Nullable String query,
        @Nullable String select,
        String from,
        @Nullable String where,
        String cursorColumn,
        String tieBreakerColumn,
        boolean bounded,
        Duration pollInterval,
        int pageSize,
        QueryRefresh refresh,
        Duration queryTimeout,
        @Nullable Instant startTimestamp,
        Duration maxIngestionDelay,
        Duration lateRowWindow,
        Duration lateRowCheckInterval,
        double queryBudgetShare,
        List<String> changelogKey,
        @Nullable String snapshotPageKey,
        String snapshotPageStart,
        @Nullable Instant endTimestamp,
        Duration sliceSize) {

    /** The source for these settings and a deserializer (snapshot and incremental modes). */
    HogQLSource<RowData> build(HogQLRowDeserializer<RowData> deserializer) {
        HogQLSourceBuilder<RowData> builder = common(deserializer);
        if (mode == HogQLMode.SNAPSHOT) {
            builder.snapshot(query);
            if (!changelogKey.isEmpty()) {
                builder.changelogKey(changelogKey.toArray(new String[0]));
            }
            if (snapshotPageKey != null) {
                builder.pageSnapshotBy(snapshotPageKey, snapshotPageStart);
            }
        } else {
            builder.incremental(select, from).where(where).cursor(cursorColumn, tieBreakerColumn);
            if (startTimestamp != null) {
                builder.startTimestamp(startTimestamp);
            }
            if (bounded) {
                builder.endTimestamp(endTimestamp);
            }
        }
        return builder.build();
    }

    /** A builder with the settings every mode shares; the caller adds the query. */
    HogQLSourceBuilder<RowData> common(HogQLRowDeserializer<RowData> deserializer) {
        return HogQLSource.<RowData>builder()
                .client(client)
                .bounded(bounded)
                .pollInterval(pollInterval)
                .pageSize(pageSize)
                .refresh(refresh)
                .queryTimeout(queryTimeout)
                .maxIngestionDelay(maxIngestionDelay)
                .lateRowCheck(lateRowWindow, lateRowCheckInterval)
                .queryBudgetShare(queryBudgetShare)
                .deserializer(deserializer);
    }
}
