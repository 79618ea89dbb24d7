package io.github.posthogflink.connector.source.hogql;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pages read so far of one paged snapshot poll (see {@link HogQLSourceBuilder#pageSnapshotBy}):
 * their rows, the page key of the last row, and the time the poll began, which the snapshot's
 * version carries.
 */
final class SnapshotPages {
    private final Instant pollTime;
    private final List<List<Object>> rows = new ArrayList<>();
    @Nullable private Object after;

    SnapshotPages(Instant pollTime) {
        this.pollTime = pollTime;
    }

    /**
     * Adds a page. Its rows must come after the previous page's, by {@code keyIndex}: a key that
     * does not grow means the key is not unique or not ordered as PostHog orders it, and the
     * snapshot would lose or repeat rows.
     */
    void add(List<List<Object>> page, int keyIndex, String keyColumn) {
        if (!page.isEmpty()) {
            Object first = page.get(0).get(keyIndex);
            if (after != null && Objects.equals(first, after)) {
                throw new IllegalStateException(
                        "Paged snapshot: the key '"
                                + keyColumn
                                + "' repeats across pages; pageSnapshotBy needs a unique column");
            }
            after = page.get(page.size() - 1).get(keyIndex);
        }
        rows.addAll(page);
    }

    @Nullable
    Object after() {
        return after;
    }

    List<List<Object>> rows() {
        return rows;
    }

    Instant pollTime() {
        return pollTime;
    }
}
