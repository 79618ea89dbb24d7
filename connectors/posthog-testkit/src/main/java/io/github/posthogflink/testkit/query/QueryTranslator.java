package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLRequest;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a query node into a {@link QueryPlan}: {@code HogQLQuery} as written, {@code EventsQuery}
 * and {@code ActorsQuery} as PostHog's runners build their HogQL ({@link EventsQueryPlanner},
 * {@link ActorsQueryPlanner}). {@code PersonsQuery}, gone from PostHog's {@code NodeKind}, is
 * refused as PostHog's request validation refuses it; other kinds get a clear 400.
 */
public final class QueryTranslator {
    /** The kinds this testkit runs. */
    static final List<String> KINDS = List.of("HogQLQuery", "EventsQuery", "ActorsQuery");

    /** Kinds PostHog no longer has: its schema rejects them before any runner. */
    private static final List<String> REMOVED_KINDS = List.of("PersonsQuery");

    private QueryTranslator() {}

    static QueryPlan translate(JsonNode query, Instant now) {
        String kind = query.path("kind").asText("");
        return switch (kind) {
            case "HogQLQuery" -> hogql(query);
            case "EventsQuery" -> EventsQueryPlanner.plan(query, now);
            case "ActorsQuery" -> ActorsQueryPlanner.plan(query);
            default -> throw unknownKind(kind);
        };
    }

    private static ApiError unknownKind(String kind) {
        if (REMOVED_KINDS.contains(kind) || kind.isEmpty()) {
            // PydanticModelMixin.get_model turns the schema error into a ParseError.
            return new ApiError(
                    400,
                    "invalid_request",
                    "parse_error",
                    "JSON parse error - 1 validation error for QueryRequest\nquery\n  Input tag '"
                            + kind
                            + "' found using 'kind' does not match any of the expected tags: "
                            + String.join(", ", KINDS.stream().map(k -> "'" + k + "'").toList())
                            + ", ... [type=union_tag_invalid]",
                    null);
        }
        return new ApiError(
                400,
                "validation_error",
                "invalid_input",
                "Unsupported query kind \""
                        + kind
                        + "\": the testkit runs "
                        + String.join(", ", KINDS)
                        + ".",
                "query");
    }

    private static QueryPlan hogql(JsonNode query) {
        JsonNode text = query.get("query");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw ApiError.invalidInput("This field is required.", "query");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        query.path("values")
                .fields()
                .forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue())));
        // HogQLQueryRunner validates user queries made with a personal key: no OFFSET.
        HogQLRequest request = HogQLRequest.of(text.asText(), values).refusingOffset();
        return new QueryPlan(
                "HogQLQuery", request, null, true, Staleness.HOGQL, text.asText(), false);
    }

    /** The node's {@code limit} and {@code offset}, as PostHog's paginator reads them. */
    static HogQLRequest paged(HogQLRequest request, JsonNode query) {
        int limit = query.hasNonNull("limit") ? query.get("limit").asInt() : 0;
        int offset = query.hasNonNull("offset") ? query.get("offset").asInt() : 0;
        return request.withPage(limit, Math.max(0, offset));
    }

    /** Rejects a filter the testkit does not translate, naming it. */
    static void unsupported(JsonNode query, String field, String kind) {
        JsonNode value = query.get(field);
        if (value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
            throw ApiError.invalidInput(
                    kind + "." + field + " is not supported by the testkit; use where expressions.",
                    field);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(item -> result.add(item.asText()));
        }
        return result;
    }

    /** An expression without a trailing {@code -- comment}, as PostHog splits select labels. */
    static String stripLabel(String column) {
        int comment = column.indexOf("--");
        return (comment < 0 ? column : column.substring(0, comment)).trim();
    }

    /** A list item of generated HogQL; a newline ends any {@code --} comment in it. */
    static String item(String expression) {
        return expression.contains("--") ? expression + "\n" : expression;
    }

    static Object plain(JsonNode value) {
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
        return Json.MAPPER.convertValue(value, Object.class);
    }
}
