package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Secrets;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Renders query results in the shape of each kind's PostHog response, and errors as PostHog. */
final class QueryResponses {
    private QueryResponses() {}

    /**
     * The calculated answer of a plan (PostHog's {@code calculate()}), without cache fields: {@code
     * HogQLQueryResponse}, {@code EventsQueryResponse} or {@code ActorsQueryResponse}.
     */
    static ObjectNode calculated(
            QueryPlan plan, HogQLResult result, QueryService.Persons persons, long teamId) {
        ObjectNode body = Json.object();
        ArrayNode columns = body.putArray("columns");
        ArrayNode types = body.putArray("types");
        ArrayNode rows = body.putArray("results");
        Integer missingActors = null;
        if (plan.output() == null) {
            result.columns().forEach(columns::add);
            for (int i = 0; i < result.types().size(); i++) {
                if (plan.typePairs()) {
                    types.addArray().add(result.columns().get(i)).add(result.types().get(i));
                } else {
                    types.add(result.types().get(i));
                }
            }
            for (List<Object> row : result.results()) {
                ArrayNode values = rows.addArray();
                row.forEach(v -> values.add(Json.valueToTree(v)));
            }
        } else {
            for (QueryPlan.OutputColumn column : plan.output()) {
                columns.add(column.name());
                types.add(typeOf(column, result));
            }
            Set<UUID> found = new HashSet<>();
            boolean actors = false;
            for (List<Object> row : result.results()) {
                ArrayNode values = rows.addArray();
                for (QueryPlan.OutputColumn column : plan.output()) {
                    if (column instanceof QueryPlan.Actor a) {
                        actors = true;
                        values.add(actor(row.get(a.index()), persons, found));
                    } else {
                        values.add(value(column, row, persons, teamId));
                    }
                }
            }
            if (actors) {
                missingActors = result.results().size() - found.size();
            }
        }
        body.put("hogql", result.hogql());
        body.putArray("timings");
        body.putObject("modifiers");
        if (result.paginated() || !plan.typePairs()) {
            body.put("hasMore", result.hasMore());
            body.put("limit", result.limit());
            body.put("offset", result.offset());
        } else {
            // HogQLQueryRunner runs no paginator for a query with LIMIT: these stay null.
            body.putNull("hasMore");
            body.putNull("limit");
            body.putNull("offset");
        }
        switch (plan.kind()) {
            case "HogQLQuery" -> {
                body.putNull("error");
                body.put("query", plan.hogqlText());
                body.putNull("clickhouse");
                body.putNull("explain");
                body.putNull("metadata");
            }
            case "EventsQuery" -> body.put("nextCursor", EventsCursor.next(plan, result));
            case "ActorsQuery" -> {
                if (missingActors == null) {
                    body.putNull("missing_actors_count");
                } else {
                    body.put("missing_actors_count", missingActors);
                }
            }
            default -> {}
        }
        return body;
    }

    private static String typeOf(QueryPlan.OutputColumn column, HogQLResult result) {
        if (column instanceof QueryPlan.Plain p) {
            return result.types().get(p.index());
        }
        if (column instanceof QueryPlan.Constant c) {
            return c.type();
        }
        if (column instanceof QueryPlan.EventStar star) {
            List<String> parts = new ArrayList<>();
            int i = star.from();
            for (String field : star.fields()) {
                parts.add(field.equals("team_id") ? "Int64" : result.types().get(i++));
            }
            return "Tuple(" + String.join(", ", parts) + ")";
        }
        if (column instanceof QueryPlan.EventPerson p) {
            return result.types().get(p.index());
        }
        return "UUID";
    }

    private static JsonNode value(
            QueryPlan.OutputColumn column,
            List<Object> row,
            QueryService.Persons persons,
            long teamId) {
        if (column instanceof QueryPlan.Plain p) {
            return Json.valueToTree(row.get(p.index()));
        }
        if (column instanceof QueryPlan.Constant c) {
            return Json.valueToTree(c.value());
        }
        if (column instanceof QueryPlan.EventStar star) {
            ObjectNode event = Json.object();
            int i = star.from();
            for (String field : star.fields()) {
                if (field.equals("team_id")) {
                    event.put("team_id", teamId);
                } else if (field.equals("properties")) {
                    event.set("properties", parseObject(row.get(i++)));
                } else {
                    event.set(field, Json.valueToTree(row.get(i++)));
                }
            }
            return event;
        }
        QueryPlan.EventPerson p = (QueryPlan.EventPerson) column;
        String distinctId = String.valueOf(row.get(p.index()));
        ObjectNode person = Json.object();
        persons.byDistinctId()
                .apply(distinctId)
                .ifPresent(
                        found -> {
                            person.put("uuid", found.uuid().toString());
                            person.put("created_at", Json.time(found.createdAt()));
                            person.set("properties", found.properties());
                        });
        person.put("distinct_id", distinctId);
        return person;
    }

    private static JsonNode actor(Object id, QueryService.Persons persons, Set<UUID> found) {
        ObjectNode actor = Json.object();
        actor.put("id", String.valueOf(id));
        Optional<PersonSnapshot> person = Optional.empty();
        try {
            person = persons.byUuid().apply(UUID.fromString(String.valueOf(id)));
        } catch (IllegalArgumentException notAUuid) {
            // not a person id: stays {"id": ...}
        }
        person.ifPresent(
                p -> {
                    found.add(p.uuid());
                    actor.set("properties", p.properties());
                    actor.put("is_identified", p.identified());
                    actor.put("created_at", Json.time(p.createdAt()));
                    ArrayNode ids = actor.putArray("distinct_ids");
                    p.distinctIds().forEach(ids::add);
                });
        return actor;
    }

    private static JsonNode parseObject(Object json) {
        try {
            return json == null ? Json.object() : Json.parse(String.valueOf(json));
        } catch (IOException e) {
            return Json.valueToTree(json);
        }
    }

    /**
     * A HogQL error as PostHog's query API answers it: 400 {@code validation_error} with the
     * error's {@code code_name} ({@code posthog/hogql/errors.py}, {@code posthog/errors.py}).
     */
    static ApiError hogqlError(HogQLException e) {
        return new ApiError(
                400, "validation_error", codeOf(e), Secrets.redact(e.getMessage()), null);
    }

    /** The {@code code} PostHog gives this error. */
    static String codeOf(HogQLException e) {
        return switch (e.kind()) {
            case SYNTAX -> "hogql_syntax_error";
            case QUERY, UNSUPPORTED -> "hogql_query_error";
            case EXECUTION -> ClickHouseErrors.codeName(e.getMessage());
        };
    }
}
