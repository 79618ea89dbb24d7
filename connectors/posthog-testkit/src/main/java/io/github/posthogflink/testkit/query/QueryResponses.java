package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Secrets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** Renders query results and errors in PostHog's shapes. */
final class QueryResponses {
    private QueryResponses() {}

    static ObjectNode result(HogQLResult result, String cacheKey, Instant now) {
        ObjectNode body = Json.object();
        body.put("cache_key", cacheKey);
        body.put("is_cached", false);
        body.put("last_refresh", Json.time(now));
        body.put("next_allowed_client_refresh", Json.time(now));
        body.put("timezone", "UTC");
        ArrayNode columns = body.putArray("columns");
        result.columns().forEach(columns::add);
        ArrayNode types = body.putArray("types");
        result.types().forEach(types::add);
        ArrayNode rows = body.putArray("results");
        for (List<Object> row : result.results()) {
            ArrayNode values = rows.addArray();
            row.forEach(
                    v -> values.add(Json.valueToTree(v instanceof Instant i ? Json.time(i) : v)));
        }
        body.put("hasMore", result.hasMore());
        body.put("limit", result.limit());
        body.put("offset", result.offset());
        body.put("hogql", result.hogql());
        body.putArray("timings");
        body.putNull("error");
        body.putObject("modifiers");
        body.putNull("query_status");
        return body;
    }

    static ApiError hogqlError(String detail) {
        return new ApiError(
                400, "validation_error", "hogql_syntax_error", Secrets.redact(detail), null);
    }
}
