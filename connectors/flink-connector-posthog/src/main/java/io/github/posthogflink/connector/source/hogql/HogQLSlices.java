package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.query.QueryResponse;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the splits of a bounded incremental read in time slices ({@link
 * HogQLSourceBuilder#timeSlices}): slice {@code k} reads {@code [b_k, b_k+1)} by keyset, as the
 * cursor {@code (b_k, nil uuid)} up to {@code b_k+1 − 1 µs} inclusive (PostHog's timestamps have
 * microseconds), the last one up to the end of the range. Boundaries are multiples of the slice
 * length since the epoch, so day slices are UTC days.
 */
final class HogQLSlices {
    /** More slices than this get longer slices: every slice costs at least one query. */
    static final int MAX_SLICES = 1_000;

    private HogQLSlices() {}

    /**
     * The splits of the source's range; when it has no start, one query finds the oldest row (no
     * rows: no splits).
     */
    static List<HogQLSplit> plan(HogQLSourceOptions options) {
        Instant end =
                options.endTimestamp() != null ? options.endTimestamp() : options.clock().instant();
        Instant start = options.startTimestamp();
        if (start.equals(Instant.EPOCH)) {
            start = oldest(options, end);
            if (start == null) {
                return List.of();
            }
        }
        return slices(options.queryName(), start, end, options.sliceSize());
    }

    static List<HogQLSplit> slices(String name, Instant start, Instant end, Duration sliceSize) {
        List<HogQLSplit> splits = new ArrayList<>();
        if (end.isBefore(start)) {
            return splits;
        }
        long slice = Math.max(1, sliceSize.toMillis());
        long span = end.toEpochMilli() - start.toEpochMilli();
        if (span / slice >= MAX_SLICES) {
            slice = span / (MAX_SLICES - 1) + 1;
        }
        Instant lower = start;
        while (true) {
            long next = Math.floorDiv(lower.toEpochMilli(), slice) * slice + slice;
            Instant boundary = Instant.ofEpochMilli(next);
            boolean last = !boundary.isBefore(end);
            Instant until = last ? end : boundary.minus(1, ChronoUnit.MICROS);
            splits.add(
                    new HogQLSplit(
                            "hogql-" + name + "-" + lower,
                            lower.toString(),
                            HogQLQueries.NIL_UUID,
                            0,
                            until.toString(),
                            null));
            if (last) {
                return splits;
            }
            lower = boundary;
        }
    }

    /** The oldest cursor value up to {@code end}, or null when no row matches. */
    @Nullable
    private static Instant oldest(HogQLSourceOptions options, Instant end) {
        try (PostHogClient posthog = PostHogClient.create(options.client());
                HogQLQueryRunner runner = new HogQLQueryRunner(posthog, options)) {
            QueryResponse response =
                    PostHogClient.await(
                            runner.run(HogQLQueries.oldestRow(options, end.toString())));
            HogQLResultSchema schema = HogQLResultSchema.of(response);
            List<Object> row = response.results().isEmpty() ? null : response.results().get(0);
            if (row == null) {
                return null;
            }
            Object rows = row.get(schema.indexOf(HogQLQueries.ROWS));
            Object oldest = row.get(schema.indexOf(HogQLQueries.OLDEST));
            if (oldest == null || (rows instanceof Number n && n.longValue() == 0)) {
                return null;
            }
            return FlinkTarget.parseInstant(String.valueOf(oldest));
        }
    }
}
