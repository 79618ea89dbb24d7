package io.github.posthogflink.testkit.faults;

import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /_testkit/faults}: GET lists rules, POST adds one, DELETE clears, {@code DELETE
 * /_testkit/faults/:id} removes one. A rule: {@code method}, {@code path} or {@code path_regex};
 * {@code type} status|delay|reset|drop_response with {@code status}, {@code retry_after}, {@code
 * body}, {@code delay_ms}; then {@code times}, or {@code probability} + {@code seed}, or {@code
 * duration_ms} (with or without a probability), or none (always). {@code start_after_ms} and {@code
 * after_passing} delay its start.
 */
public final class FaultsApi {
    private final FaultInjector faults;

    public FaultsApi(FaultInjector faults) {
        this.faults = faults;
    }

    public void register(Router router) {
        router.get("/_testkit/faults/?", r -> Response.json(200, list()));
        router.post(
                "/_testkit/faults/?",
                r -> Response.json(201, render(faults.add(parse(JsonBodies.object(r))))));
        router.delete(
                "/_testkit/faults/?",
                r -> {
                    faults.clear();
                    return Response.empty(204);
                });
        router.delete(
                "/_testkit/faults/(?<id>\\d+)/?",
                r -> {
                    if (!faults.remove(Long.parseLong(r.pathGroup("id")))) {
                        throw ApiError.notFound();
                    }
                    return Response.empty(204);
                });
    }

    /** The fields a rule may have; any other is refused (a typo would widen the rule). */
    static final Set<String> FIELDS =
            Set.of(
                    "method",
                    "path",
                    "path_regex",
                    "type",
                    "status",
                    "retry_after",
                    "body",
                    "delay_ms",
                    "times",
                    "probability",
                    "seed",
                    "duration_ms",
                    "after_passing",
                    "start_after_ms");

    static FaultRule parse(ObjectNode body) {
        List<String> unknown = new ArrayList<>();
        body.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!FIELDS.contains(f)) {
                                unknown.add(f);
                            }
                        });
        if (!unknown.isEmpty()) {
            throw ApiError.invalidInput(
                    "Unknown fault rule field(s) " + unknown + "; known: " + new TreeSet<>(FIELDS),
                    unknown.get(0));
        }
        if (!body.hasNonNull("type") && !body.hasNonNull("status")) {
            // An empty body used to install a 503 on every route.
            throw ApiError.invalidInput(
                    "A fault rule needs \"type\" (status, delay, reset or drop_response) or"
                            + " \"status\"; without \"path\" or \"path_regex\" it applies to"
                            + " every route",
                    "type");
        }
        String method = Json.textOrNull(body, "method");
        RouteMatcher matcher;
        if (body.hasNonNull("path_regex")) {
            matcher = RouteMatcher.pathRegex(method, body.get("path_regex").asText());
        } else if (body.hasNonNull("path")) {
            matcher =
                    method == null
                            ? RouteMatcher.path(body.get("path").asText())
                            : RouteMatcher.path(method, body.get("path").asText());
        } else {
            matcher = RouteMatcher.pathRegex(method, ".*");
        }
        FaultRule.Builder builder = FaultRule.matching(matcher);
        String type = body.path("type").asText("status");
        switch (type) {
            case "status" ->
                    builder.fault(
                            new Fault.Status(
                                    body.path("status").asInt(503),
                                    body.hasNonNull("retry_after")
                                            ? body.get("retry_after").asInt()
                                            : null,
                                    Json.textOrNull(body, "body")));
            case "delay" -> builder.delay(Duration.ofMillis(body.path("delay_ms").asLong(1000)));
            case "reset" -> builder.resetConnection();
            case "drop_response" -> builder.dropResponse();
            default ->
                    throw ApiError.invalidInput(
                            "type must be status, delay, reset or drop_response", "type");
        }
        if (body.hasNonNull("after_passing")) {
            builder.afterPassing(body.get("after_passing").asInt());
        }
        if (body.hasNonNull("start_after_ms")) {
            builder.startingAfter(Duration.ofMillis(body.get("start_after_ms").asLong()));
        }
        if (body.hasNonNull("times")) {
            return builder.times(body.get("times").asInt());
        }
        if (body.hasNonNull("duration_ms") && body.hasNonNull("probability")) {
            return builder.forDuration(
                    Duration.ofMillis(body.get("duration_ms").asLong()),
                    body.get("probability").asDouble(),
                    body.path("seed").asLong(0));
        }
        if (body.hasNonNull("probability")) {
            return builder.withProbability(
                    body.get("probability").asDouble(), body.path("seed").asLong(0));
        }
        if (body.hasNonNull("duration_ms")) {
            return builder.forDuration(Duration.ofMillis(body.get("duration_ms").asLong()));
        }
        return builder.always();
    }

    private ObjectNode list() {
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        faults.rules().forEach(rule -> results.add(render(rule)));
        return body;
    }

    static ObjectNode render(FaultRule rule) {
        ObjectNode json = Json.object();
        json.put("id", rule.id());
        json.put("method", rule.matcher().method());
        json.put("path_regex", rule.matcher().pathPattern().pattern());
        Fault fault = rule.fault();
        if (fault instanceof Fault.Status s) {
            json.put("type", "status");
            json.put("status", s.status());
            json.put("retry_after", s.retryAfterSeconds());
        } else if (fault instanceof Fault.Delay d) {
            json.put("type", "delay");
            json.put("delay_ms", d.delay().toMillis());
        } else if (fault instanceof Fault.DropResponse) {
            json.put("type", "drop_response");
        } else {
            json.put("type", "reset");
        }
        json.put("fired", rule.firedCount());
        json.put("remaining", rule.remaining());
        json.put("to_pass", rule.toPass());
        json.put("window_start", Json.time(rule.windowStart()));
        json.put("window_end", Json.time(rule.windowEnd()));
        return json;
    }
}
