package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A split of a {@link HogQLSource}: one query's progress. For incremental reading, the cursor
 * (timestamp and uuid of the last emitted row), the upper bound of a bounded range (a time slice of
 * a parallel read, or the job's start) and the rows emitted so far (for a pushed-down LIMIT); for
 * snapshots, the number of completed polls and, for a changelog, the rows last emitted by key.
 *
 * @param splitId the split's id
 * @param cursorTimestamp the cursor column of the last emitted row, as PostHog returned it
 * @param cursorUuid the tie-breaker column of the last emitted row
 * @param version the number of snapshot polls fully emitted
 * @param until the inclusive upper bound of a bounded incremental range, or null
 * @param previousRows the last snapshot by key (changelog output only), or null
 * @param rowsEmitted incremental rows this split has emitted (checked against the source's limit)
 */
@PublicEvolving
public record HogQLSplit(
        String splitId,
        @Nullable String cursorTimestamp,
        @Nullable String cursorUuid,
        long version,
        @Nullable String until,
        @Nullable Map<String, List<Object>> previousRows,
        long rowsEmitted)
        implements SourceSplit {

    /** A split that has emitted no incremental rows yet. */
    public HogQLSplit(
            String splitId,
            @Nullable String cursorTimestamp,
            @Nullable String cursorUuid,
            long version,
            @Nullable String until,
            @Nullable Map<String, List<Object>> previousRows) {
        this(splitId, cursorTimestamp, cursorUuid, version, until, previousRows, 0);
    }

    @Override
    public String toString() {
        return "HogQLSplit{"
                + splitId
                + ", cursor="
                + cursorTimestamp
                + "/"
                + cursorUuid
                + ", version="
                + version
                + ", until="
                + until
                + ", rows="
                + rowsEmitted
                + ", previousRows="
                + (previousRows == null ? "-" : previousRows.size())
                + '}';
    }
}
