package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLResult;

import java.util.List;

/**
 * EventsQuery's {@code nextCursor} ({@code EventsQueryRunner._next_cursor}): on a page with more
 * after it, of a query ordered by timestamp without aggregation, the last row's {@code
 * <timestamp>|<uuid>} (or the timestamp alone without a uuid column), to send back as {@code
 * before} (or {@code after} when ascending).
 */
final class EventsCursor {
    private EventsCursor() {}

    static String next(QueryPlan plan, HogQLResult result) {
        if (!plan.cursorEligible() || !result.hasMore() || result.results().isEmpty()) {
            return null;
        }
        List<Object> last = result.results().get(result.results().size() - 1);
        Object timestamp = field(plan, last, "timestamp");
        if (timestamp == null) {
            return null;
        }
        Object uuid = field(plan, last, "uuid");
        return uuid == null ? String.valueOf(timestamp) : timestamp + "|" + uuid;
    }

    private static Object field(QueryPlan plan, List<Object> row, String name) {
        for (QueryPlan.OutputColumn column : plan.output()) {
            if (column instanceof QueryPlan.EventStar star) {
                int i = star.from();
                for (String field : star.fields()) {
                    if (field.equals("team_id")) {
                        continue;
                    }
                    if (field.equals(name)) {
                        return row.get(i);
                    }
                    i++;
                }
            } else if (column instanceof QueryPlan.Plain p
                    && QueryTranslator.stripLabel(p.name()).equals(name)) {
                return row.get(p.index());
            }
        }
        return null;
    }
}
