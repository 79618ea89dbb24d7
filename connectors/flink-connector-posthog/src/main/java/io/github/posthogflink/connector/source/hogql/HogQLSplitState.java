package io.github.posthogflink.connector.source.hogql;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable progress of a split while its records are emitted; checkpointed as a split. */
final class HogQLSplitState {
    private final String splitId;
    private final String until;
    @Nullable private String cursorTimestamp;
    @Nullable private String cursorUuid;
    private long version;
    private long rowsEmitted;
    @Nullable private final Map<String, List<Object>> previousRows;

    HogQLSplitState(HogQLSplit split) {
        this.splitId = split.splitId();
        this.until = split.until();
        this.cursorTimestamp = split.cursorTimestamp();
        this.cursorUuid = split.cursorUuid();
        this.version = split.version();
        this.rowsEmitted = split.rowsEmitted();
        this.previousRows =
                split.previousRows() == null ? null : new LinkedHashMap<>(split.previousRows());
    }

    /** A state that tracks changelog rows even if the split was written without them. */
    HogQLSplitState(HogQLSplit split, boolean changelog) {
        this(
                changelog && split.previousRows() == null
                        ? new HogQLSplit(
                                split.splitId(),
                                split.cursorTimestamp(),
                                split.cursorUuid(),
                                split.version(),
                                split.until(),
                                new LinkedHashMap<>(),
                                split.rowsEmitted())
                        : split);
    }

    /** Called after each emitted record: advances the cursor or applies a changelog entry. */
    void apply(HogQLRecord record) {
        if (record.cursorTimestamp() != null) {
            cursorTimestamp = record.cursorTimestamp();
            cursorUuid = record.cursorUuid();
            rowsEmitted++;
        }
        if (previousRows != null && record.key() != null) {
            switch (record.kind()) {
                case INSERT, UPDATE_AFTER -> previousRows.put(record.key(), record.values());
                case DELETE -> previousRows.remove(record.key());
                default -> {}
            }
        }
        if (record.lastOfPoll()) {
            version = record.version();
        }
    }

    HogQLSplit toSplit() {
        return new HogQLSplit(
                splitId,
                cursorTimestamp,
                cursorUuid,
                version,
                until,
                previousRows == null ? null : new LinkedHashMap<>(previousRows),
                rowsEmitted);
    }
}
