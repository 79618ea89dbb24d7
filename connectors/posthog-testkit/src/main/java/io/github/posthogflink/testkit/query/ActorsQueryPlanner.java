package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLEngine;
import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLExpressions;
import io.github.posthogflink.testkit.hogql.HogQLRequest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code ActorsQuery} over persons, as PostHog's {@code ActorsQueryRunner} with its {@code
 * PersonStrategy} builds it ({@code posthog/hogql_queries/actors_query_runner.py}, {@code
 * actor_strategies.py}):
 *
 * <ul>
 *   <li>{@code select} defaults to {@code ["person", "id", "person.$delete"]}: {@code person} (or
 *       {@code actor}) is the person's object ({@code id}, {@code properties}, {@code
 *       is_identified}, {@code created_at}, {@code distinct_ids}), {@code person.$delete} the
 *       constant 1;
 *   <li>{@code search} matches, case-insensitively, the email or name property, the person id, or
 *       any of the person's distinct ids;
 *   <li>ordering: {@code orderBy} ({@code person} means the email property), else {@code count()}
 *       descending, else the first aggregation descending, else {@code created_at} descending when
 *       selected, else the first column ascending;
 *   <li>{@code limit} and {@code offset} page the result.
 * </ul>
 *
 * A {@code source} (insight actors) is not supported.
 */
final class ActorsQueryPlanner {
    static final List<String> DEFAULT_SELECT = List.of("person", "id", "person.$delete");

    private ActorsQueryPlanner() {}

    static QueryPlan plan(JsonNode query) {
        for (String field : List.of("source", "properties", "fixedProperties")) {
            QueryTranslator.unsupported(query, field, "ActorsQuery");
        }
        List<String> input = QueryTranslator.strings(query.get("select"));
        if (input.isEmpty()) {
            input = DEFAULT_SELECT;
        }
        List<String> select = new ArrayList<>();
        List<String> orderable = new ArrayList<>();
        List<QueryPlan.OutputColumn> output = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        List<String> aggregations = new ArrayList<>();
        for (String column : input) {
            if (column.equals("person.$delete")) {
                output.add(new QueryPlan.Constant(column, 1L, "UInt8"));
                orderable.add("1");
                continue;
            }
            if (column.equals("person") || column.equals("actor")) {
                output.add(new QueryPlan.Actor(column, select.size()));
                select.add("id");
                orderable.add("id");
                groupBy.add("id");
                continue;
            }
            HogQLExpressions.Info info;
            try {
                info = HogQLExpressions.describe(column);
            } catch (HogQLException e) {
                throw QueryResponses.hogqlError(e);
            }
            output.add(new QueryPlan.Plain(column, select.size()));
            select.add(QueryTranslator.item(column));
            String bare = info.alias() != null ? info.alias() : column;
            orderable.add(QueryTranslator.item(bare));
            if (info.aggregate()) {
                aggregations.add(QueryTranslator.item(bare));
            } else {
                groupBy.add(QueryTranslator.item(bare));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        StringBuilder hogql = new StringBuilder("SELECT ");
        hogql.append(select.isEmpty() ? "1" : String.join(", ", select)).append(" FROM persons");
        String search = query.path("search").asText("");
        if (!search.isEmpty()) {
            values.put("testkit_search", "%" + search + "%");
            hogql.append(
                    " WHERE toString(properties.email) ILIKE {testkit_search} OR"
                            + " toString(properties.name) ILIKE {testkit_search} OR toString(id)"
                            + " ILIKE {testkit_search} OR "
                            + HogQLEngine.PERSON_DISTINCT_IDS_FIELD
                            + " ILIKE {testkit_search}");
        }
        if (!aggregations.isEmpty() && !groupBy.isEmpty()) {
            hogql.append(" GROUP BY ").append(String.join(", ", groupBy));
        }
        List<String> order = orderBy(query, input, orderable, aggregations);
        if (!order.isEmpty()) {
            hogql.append(" ORDER BY ").append(String.join(", ", order));
        }
        HogQLRequest request =
                QueryTranslator.paged(HogQLRequest.of(hogql.toString(), values), query);
        return new QueryPlan("ActorsQuery", request, output, false, Staleness.MINUTE, "", false);
    }

    private static List<String> orderBy(
            JsonNode query, List<String> input, List<String> columns, List<String> aggregations) {
        List<String> orderBy = QueryTranslator.strings(query.get("orderBy"));
        if (query.has("orderBy") && !query.get("orderBy").isNull()) {
            if (orderBy.equals(List.of("person"))
                    || orderBy.equals(List.of("person ASC"))
                    || orderBy.equals(List.of("person DESC"))) {
                return List.of(
                        "properties.email " + (orderBy.get(0).endsWith("DESC") ? "DESC" : "ASC"));
            }
            return orderBy.stream().map(QueryTranslator::item).toList();
        }
        if (input.contains("count()")) {
            return List.of("count() DESC");
        }
        if (!aggregations.isEmpty()) {
            return List.of(aggregations.get(0) + " DESC");
        }
        if (input.contains("created_at")) {
            return List.of("created_at DESC");
        }
        return columns.isEmpty() ? List.of() : List.of(columns.get(0) + " ASC");
    }
}
