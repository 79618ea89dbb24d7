package io.github.posthogflink.connector.source.hogql;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/** The checks {@link HogQLSourceBuilder} runs on its settings that need more than one line. */
final class HogQLSourceChecks {
    private HogQLSourceChecks() {}

    static void requirePositive(@Nullable Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
    }

    /** A window of zero turns the late-row check off; any other needs a positive interval. */
    static void lateRowCheck(Duration window, Duration interval) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("lateRowCheck window must be >= 0");
        }
        if (!window.isZero()) {
            requirePositive(interval, "lateRowCheck interval");
        }
    }

    /**
     * A paged snapshot: snapshot mode, and unless the source wraps the query, a string or number
     * first key and a query that holds both page placeholders.
     */
    static void pagedSnapshot(
            HogQLMode mode,
            @Nullable String query,
            String keyColumn,
            @Nullable Object firstPageAfter,
            boolean wrapped) {
        if (mode != HogQLMode.SNAPSHOT) {
            throw new IllegalArgumentException("pageSnapshotBy applies to snapshot mode only");
        }
        if (wrapped) {
            return;
        }
        if (!(firstPageAfter instanceof String || firstPageAfter instanceof Number)) {
            throw new IllegalArgumentException(
                    "pageSnapshotBy: firstPageAfter is a string or number");
        }
        for (String placeholder : List.of(HogQLQueries.PAGE_AFTER, HogQLQueries.PAGE_SIZE)) {
            if (!query.contains("{" + placeholder + "}")) {
                throw new IllegalArgumentException(
                        "A paged snapshot query pages itself: add WHERE "
                                + keyColumn
                                + " > {"
                                + HogQLQueries.PAGE_AFTER
                                + "} ... ORDER BY "
                                + keyColumn
                                + " LIMIT {"
                                + HogQLQueries.PAGE_SIZE
                                + "} (missing {"
                                + placeholder
                                + "})");
            }
        }
    }
}
