package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.http.ApiError;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a query node into HogQL: {@code HogQLQuery} as is; {@code EventsQuery} (select, where,
 * event, orderBy, after, before, limit, offset) and {@code PersonsQuery}/{@code ActorsQuery}
 * (select, search, orderBy, limit, offset) mapped onto simple HogQL. Other kinds get a 400.
 */
public final class QueryTranslator {
    private QueryTranslator() {}

    /** HogQL text, its placeholder values, and the row limit to apply. */
    public record Translated(String hogql, Map<String, Object> values, Integer limit, int offset) {}

    public static Translated translate(JsonNode query) {
        String kind = query.path("kind").asText("");
        return switch (kind) {
            case "HogQLQuery" -> hogql(query);
            case "EventsQuery" -> events(query);
            case "PersonsQuery", "ActorsQuery" -> persons(query);
            default ->
                    throw new ApiError(
                            400,
                            "validation_error",
                            "invalid_input",
                            "Unsupported query kind \""
                                    + kind
                                    + "\": the testkit runs HogQLQuery, EventsQuery and"
                                    + " PersonsQuery.",
                            "query");
        };
    }

    private static Translated hogql(JsonNode query) {
        JsonNode text = query.get("query");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw ApiError.invalidInput("This field is required.", "query");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        query.path("values")
                .fields()
                .forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue())));
        return new Translated(text.asText(), values, null, 0);
    }

    private static Translated events(JsonNode query) {
        List<String> select = strings(query.get("select"));
        if (select.isEmpty()) {
            throw ApiError.invalidInput("EventsQuery needs a select list.", "select");
        }
        if (query.has("properties") && !query.path("properties").isEmpty()) {
            throw ApiError.invalidInput(
                    "EventsQuery property filters are not supported by the testkit; use where"
                            + " expressions.",
                    "properties");
        }
        List<String> where = new ArrayList<>(strings(query.get("where")));
        Map<String, Object> values = new LinkedHashMap<>();
        if (query.hasNonNull("event")) {
            where.add("event = {testkit_event}");
            values.put("testkit_event", query.get("event").asText());
        }
        if (query.hasNonNull("after")) {
            where.add("timestamp > toDateTime({testkit_after})");
            values.put("testkit_after", query.get("after").asText());
        }
        if (query.hasNonNull("before")) {
            where.add("timestamp < toDateTime({testkit_before})");
            values.put("testkit_before", query.get("before").asText());
        }
        StringBuilder hogql = new StringBuilder("SELECT ").append(String.join(", ", select));
        hogql.append(" FROM events");
        if (!where.isEmpty()) {
            hogql.append(" WHERE (").append(String.join(") AND (", where)).append(")");
        }
        List<String> orderBy = strings(query.get("orderBy"));
        hogql.append(" ORDER BY ")
                .append(orderBy.isEmpty() ? "timestamp DESC" : String.join(", ", orderBy));
        return withPaging(hogql, values, query);
    }

    private static Translated persons(JsonNode query) {
        List<String> select = strings(query.get("select"));
        if (select.isEmpty()) {
            select = List.of("id", "properties", "created_at");
        }
        StringBuilder hogql = new StringBuilder("SELECT ").append(String.join(", ", select));
        hogql.append(" FROM persons");
        Map<String, Object> values = new LinkedHashMap<>();
        if (query.hasNonNull("search")) {
            hogql.append(
                    " WHERE properties.email ILIKE {testkit_search} OR properties.name ILIKE"
                            + " {testkit_search}");
            values.put("testkit_search", "%" + query.get("search").asText() + "%");
        }
        List<String> orderBy = strings(query.get("orderBy"));
        hogql.append(" ORDER BY ")
                .append(orderBy.isEmpty() ? "created_at DESC" : String.join(", ", orderBy));
        return withPaging(hogql, values, query);
    }

    private static Translated withPaging(
            StringBuilder hogql, Map<String, Object> values, JsonNode query) {
        Integer limit = query.hasNonNull("limit") ? query.get("limit").asInt() : null;
        int offset = query.path("offset").asInt(0);
        if (offset > 0) {
            hogql.append(" LIMIT ")
                    .append(limit == null ? 100 : limit)
                    .append(" OFFSET ")
                    .append(offset);
        }
        return new Translated(hogql.toString(), values, limit, offset);
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(item -> result.add(item.asText()));
        }
        return result;
    }

    private static Object plain(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNull()) {
            return null;
        }
        return io.github.posthogflink.testkit.http.Json.MAPPER.convertValue(value, Object.class);
    }
}
