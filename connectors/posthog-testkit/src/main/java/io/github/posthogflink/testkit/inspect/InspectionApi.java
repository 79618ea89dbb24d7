package io.github.posthogflink.testkit.inspect;

import io.github.posthogflink.testkit.api.PersonJson;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.capture.EventStore;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.persons.GroupStore;
import io.github.posthogflink.testkit.persons.PersonStore;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP inspection API under {@code /_testkit/}: {@code requests}, {@code events}, {@code
 * events/deduped}, {@code persons}, {@code groups}, {@code counters}, {@code reset}, {@code
 * rate_limits}, {@code health}. These requests are not journaled, faulted or throttled. Keys in
 * recorded requests and event properties are hidden ({@link Redaction}): this API answers anyone
 * who reaches the port.
 */
public final class InspectionApi {
    private final RequestJournal journal;
    private final EventStore events;
    private final PersonStore persons;
    private final GroupStore groups;
    private final RateLimiter rateLimiter;
    private final Runnable reset;
    private final Redaction redaction;
    private volatile Supplier<Map<String, Long>> transportCounters = Map::of;

    public InspectionApi(
            RequestJournal journal,
            EventStore events,
            PersonStore persons,
            GroupStore groups,
            RateLimiter rateLimiter,
            Runnable reset,
            Redaction redaction) {
        this.redaction = redaction;
        this.journal = journal;
        this.events = events;
        this.persons = persons;
        this.groups = groups;
        this.rateLimiter = rateLimiter;
        this.reset = reset;
    }

    public void register(Router router) {
        router.get(
                "/_testkit/health/?", r -> Response.json(200, Json.object().put("status", "ok")));
        router.get("/_testkit/requests/?", this::requests);
        router.get("/_testkit/events/?", r -> Response.json(200, events(events.raw(), r)));
        router.get(
                "/_testkit/events/deduped/?", r -> Response.json(200, events(events.deduped(), r)));
        router.get("/_testkit/persons/?", r -> Response.json(200, persons()));
        router.get("/_testkit/groups/?", r -> Response.json(200, groups()));
        router.get("/_testkit/counters/?", r -> Response.json(200, Json.valueToTree(counters())));
        router.post(
                "/_testkit/reset/?",
                r -> {
                    reset.run();
                    return Response.empty(204);
                });
        router.get(
                "/_testkit/rate_limits/?",
                r -> Response.json(200, Json.object().put("enabled", rateLimiter.enabled())));
        router.post("/_testkit/rate_limits/?", this::rateLimits);
    }

    /** Adds the HTTP layer's counters ({@code transport.*}) to {@link #counters()}. */
    public void setTransportCounters(Supplier<Map<String, Long>> counters) {
        this.transportCounters = counters;
    }

    /** Journal counters plus event and person totals, and the HTTP layer's counters. */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new java.util.TreeMap<>(journal.counters());
        counters.putAll(transportCounters.get());
        counters.put("events.raw", (long) events.rawCount());
        counters.put("events.deduped", (long) events.dedupedCount());
        counters.put("persons", (long) persons.size());
        return counters;
    }

    private Response requests(Request request) {
        String path = request.queryParam("path");
        String method = request.queryParam("method");
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        for (RecordedRequest recorded : journal.requests()) {
            if (path != null && !recorded.path().equals(path)) {
                continue;
            }
            if (method != null && !recorded.method().equalsIgnoreCase(method)) {
                continue;
            }
            ObjectNode json = results.addObject();
            json.put("sequence", recorded.sequence());
            json.put("method", recorded.method());
            json.put("path", redaction.text(recorded.path()));
            json.put("query", redaction.query(recorded.query()));
            json.set("headers", Json.valueToTree(redaction.headers(recorded.headers())));
            json.put("body", redaction.body(recorded.bodyText()));
            json.put("received_at", Json.time(recorded.receivedAt()));
            json.put("status", recorded.status());
        }
        return Response.json(200, body);
    }

    private ObjectNode events(List<CapturedEvent> list, Request request) {
        String name = request.queryParam("event");
        String distinctId = request.queryParam("distinct_id");
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        for (CapturedEvent event : list) {
            if ((name != null && !name.equals(event.event()))
                    || (distinctId != null && !distinctId.equals(event.distinctId()))) {
                continue;
            }
            ObjectNode json = results.addObject();
            json.put("uuid", event.uuid().toString());
            json.put("event", event.event());
            json.put("distinct_id", event.distinctId());
            json.set("properties", redaction.json(event.propertiesCopy()));
            json.put("timestamp", Json.time(event.timestamp()));
            json.put("received_at", Json.time(event.receivedAt()));
            json.put("historical_migration", event.historicalMigration());
            json.put("route", event.route());
        }
        body.put("count", results.size());
        return body;
    }

    private ObjectNode persons() {
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        persons.all().forEach(p -> results.add(PersonJson.render(p, -1)));
        return body;
    }

    private ObjectNode groups() {
        ObjectNode body = Json.object();
        ObjectNode mapping = body.putObject("group_type_mapping");
        groups.typeMapping().forEach((k, v) -> mapping.put(String.valueOf(k), v));
        ArrayNode results = body.putArray("results");
        groups.all()
                .forEach(
                        g -> {
                            ObjectNode json = results.addObject();
                            json.put("group_type_index", g.groupTypeIndex());
                            json.put("group_type", g.groupType());
                            json.put("group_key", g.groupKey());
                            json.set("group_properties", g.properties());
                            json.put("created_at", Json.time(g.createdAt()));
                        });
        return body;
    }

    private Response rateLimits(Request request) {
        ObjectNode body = io.github.posthogflink.testkit.api.JsonBodies.object(request);
        if (body.has("enabled")) {
            rateLimiter.setEnabled(body.get("enabled").asBoolean());
        }
        if (body.path("reset").asBoolean(false)) {
            rateLimiter.reset();
        }
        return Response.json(200, Json.object().put("enabled", rateLimiter.enabled()));
    }
}
