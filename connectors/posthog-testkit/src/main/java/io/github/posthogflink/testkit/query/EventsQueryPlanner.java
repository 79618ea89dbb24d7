package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLExpressions;
import io.github.posthogflink.testkit.hogql.HogQLRequest;
import io.github.posthogflink.testkit.http.ApiError;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code EventsQuery} as PostHog's {@code EventsQueryRunner} builds it ({@code
 * posthog/hogql_queries/events_query_runner.py}):
 *
 * <ul>
 *   <li>{@code select} (default {@code *}); {@code *} is one object of the event's fields and
 *       {@code person} the person behind the distinct_id; a column keeps its raw text (with any
 *       {@code -- label}) as its name unless it has an alias;
 *   <li>when any column aggregates, the other columns are grouped, and {@code where} expressions
 *       that aggregate become HAVING;
 *   <li>{@code before} defaults to now + 5 s and {@code after} to {@code -24h} ({@code "all"}: no
 *       lower bound); both take ISO dates or PostHog's relative dates ({@code -7d}, {@code
 *       -1dStart}, ...), and {@code timestamp|uuid} cursors;
 *   <li>ordering: {@code orderBy}, else the first column ascending (no aggregation and no {@code
 *       timestamp} column), else {@code count()} descending, else the first aggregation descending,
 *       else {@code timestamp} descending; {@code uuid} breaks timestamp ties;
 *   <li>{@code limit} and {@code offset} page the result ({@code hasMore});
 *   <li>a window that moves with the clock is always stale in the cache.
 * </ul>
 */
final class EventsQueryPlanner {
    /** PostHog's {@code SELECT_STAR_FROM_EVENTS_FIELDS}. */
    static final List<String> STAR_FIELDS =
            List.of(
                    "uuid",
                    "event",
                    "properties",
                    "timestamp",
                    "team_id",
                    "distinct_id",
                    "elements_chain",
                    "created_at",
                    "person_mode");

    private EventsQueryPlanner() {}

    static QueryPlan plan(JsonNode query, Instant now) {
        for (String field : List.of("properties", "fixedProperties", "actionId", "personId")) {
            QueryTranslator.unsupported(query, field, "EventsQuery");
        }
        QueryTranslator.unsupported(query, "source", "EventsQuery");
        List<String> input = QueryTranslator.strings(query.get("select"));
        if (input.isEmpty()) {
            input = List.of("*");
        }
        List<String> select = new ArrayList<>();
        List<QueryPlan.OutputColumn> output = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        List<String> aggregations = new ArrayList<>();
        for (String column : input) {
            String stripped = QueryTranslator.stripLabel(column);
            if (column.equals("*")) {
                output.add(new QueryPlan.EventStar(column, select.size(), STAR_FIELDS));
                STAR_FIELDS.stream().filter(f -> !f.equals("team_id")).forEach(select::add);
                continue;
            }
            if (stripped.equals("person_display_name")) {
                throw ApiError.invalidInput(
                        "EventsQuery column person_display_name is not supported by the testkit.",
                        "select");
            }
            if (stripped.equals("person")) {
                output.add(new QueryPlan.EventPerson(column, select.size()));
                select.add("distinct_id");
                groupBy.add("distinct_id");
                continue;
            }
            HogQLExpressions.Info info = describe(column, "select");
            output.add(
                    info.alias() != null
                            ? new QueryPlan.Plain(info.alias(), select.size())
                            : new QueryPlan.Plain(column, select.size()));
            select.add(QueryTranslator.item(column));
            if (info.aggregate()) {
                aggregations.add(stripped);
            } else {
                groupBy.add(QueryTranslator.item(info.alias() != null ? info.alias() : column));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        List<String> having = new ArrayList<>();
        for (String expression : QueryTranslator.strings(query.get("where"))) {
            (describe(expression, "where").aggregate() ? having : where)
                    .add(QueryTranslator.item(expression));
        }
        List<String> events = new ArrayList<>();
        if (query.hasNonNull("event")) {
            events.add(query.get("event").asText());
        }
        events.addAll(QueryTranslator.strings(query.get("events")));
        if (!events.isEmpty()) {
            values.put("testkit_events", events);
            where.add("event IN {testkit_events}");
        }
        String before =
                query.hasNonNull("before")
                        ? query.get("before").asText()
                        : now.plusSeconds(5).toString();
        String after = query.hasNonNull("after") ? query.get("after").asText() : "-24h";
        RelativeDates.Parsed beforeAt = boundary(before, "<", "before", now, where, values);
        RelativeDates.Parsed afterAt =
                after.equals("all") ? null : boundary(after, ">", "after", now, where, values);

        StringBuilder hogql = new StringBuilder("SELECT ").append(String.join(", ", select));
        hogql.append(" FROM events");
        if (!where.isEmpty()) {
            hogql.append(" WHERE (").append(String.join(") AND (", where)).append(")");
        }
        boolean aggregated = !aggregations.isEmpty();
        if (aggregated && !groupBy.isEmpty()) {
            hogql.append(" GROUP BY ").append(String.join(", ", groupBy));
        }
        if (!having.isEmpty()) {
            hogql.append(" HAVING (").append(String.join(") AND (", having)).append(")");
        }
        List<String> orderBy = orderBy(query, input, select, aggregations);
        if (!orderBy.isEmpty()) {
            hogql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        HogQLRequest request =
                QueryTranslator.paged(HogQLRequest.of(hogql.toString(), values), query);
        boolean pinned =
                query.hasNonNull("before")
                        && query.hasNonNull("after")
                        && beforeAt.pinned()
                        && (afterAt == null || afterAt.pinned());
        boolean cursorEligible =
                !aggregated
                        && !orderBy.isEmpty()
                        && orderBy.get(0).trim().split("\\s+")[0].equals("timestamp");
        return new QueryPlan(
                "EventsQuery",
                request,
                output,
                false,
                pinned ? Staleness.pinned(beforeAt.instant()) : Staleness.ALWAYS,
                "",
                cursorEligible);
    }

    /** Adds {@code timestamp < before} or {@code timestamp > after}, with a uuid tiebreaker. */
    private static RelativeDates.Parsed boundary(
            String text,
            String op,
            String name,
            Instant now,
            List<String> where,
            Map<String, Object> values) {
        int bar = text.indexOf('|');
        String timestamp = bar < 0 ? text : text.substring(0, bar);
        RelativeDates.Parsed parsed = RelativeDates.parse(timestamp, now);
        String placeholder = "testkit_" + name;
        values.put(placeholder, parsed.instant().toString());
        if (bar < 0) {
            where.add("timestamp " + op + " {" + placeholder + "}");
        } else {
            values.put(placeholder + "_uuid", text.substring(bar + 1));
            where.add(
                    "timestamp "
                            + op
                            + " {"
                            + placeholder
                            + "} OR (timestamp = {"
                            + placeholder
                            + "} AND uuid "
                            + op
                            + " {"
                            + placeholder
                            + "_uuid})");
        }
        return parsed;
    }

    private static List<String> orderBy(
            JsonNode query, List<String> input, List<String> select, List<String> aggregations) {
        List<String> order = new ArrayList<>();
        if (query.has("orderBy") && !query.get("orderBy").isNull()) {
            QueryTranslator.strings(query.get("orderBy"))
                    .forEach(o -> order.add(QueryTranslator.item(o)));
        } else if (!input.contains("count()")
                && aggregations.isEmpty()
                && !input.contains("timestamp")) {
            if (!select.isEmpty()) {
                order.add(select.get(0) + " ASC");
            }
        } else if (input.contains("count()")) {
            order.add("count() DESC");
        } else if (!aggregations.isEmpty()) {
            order.add(aggregations.get(0) + " DESC");
        } else {
            order.add("timestamp DESC");
        }
        // A total order for cursor paging: uuid breaks ties on timestamp.
        if (aggregations.isEmpty() && !order.isEmpty()) {
            String[] first = order.get(0).trim().split("\\s+");
            boolean byTimestamp = first[0].equals("timestamp");
            boolean hasUuid =
                    order.stream().anyMatch(o -> o.trim().split("\\s+")[0].equals("uuid"));
            if (byTimestamp && !hasUuid) {
                String direction =
                        first.length > 1 && first[1].equalsIgnoreCase("DESC") ? "DESC" : "ASC";
                order.add("uuid " + direction);
            }
        }
        return order;
    }

    private static HogQLExpressions.Info describe(String expression, String field) {
        try {
            return HogQLExpressions.describe(expression);
        } catch (HogQLException e) {
            throw QueryResponses.hogqlError(e);
        }
    }
}
