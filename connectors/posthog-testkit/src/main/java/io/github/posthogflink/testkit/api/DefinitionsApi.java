package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/** {@code event_definitions} and {@code property_definitions}, derived from stored data. */
public final class DefinitionsApi {
    private final ApiAuth auth;
    private final Supplier<List<CapturedEvent>> events;
    private final Supplier<List<PersonSnapshot>> persons;

    public DefinitionsApi(
            ApiAuth auth,
            Supplier<List<CapturedEvent>> events,
            Supplier<List<PersonSnapshot>> persons) {
        this.auth = auth;
        this.events = events;
        this.persons = persons;
    }

    public void register(Router router) {
        router.get(Router.PROJECT + "/event_definitions/?", this::eventDefinitions);
        router.get(Router.PROJECT + "/property_definitions/?", this::propertyDefinitions);
    }

    private Response eventDefinitions(Request request) {
        auth.requireProject(request);
        String search = lower(request.queryParam("search"));
        Map<String, Instant[]> seen = new TreeMap<>();
        for (CapturedEvent event : events.get()) {
            Instant[] range =
                    seen.computeIfAbsent(
                            event.event(),
                            k -> new Instant[] {event.timestamp(), event.timestamp()});
            if (event.timestamp().isBefore(range[0])) {
                range[0] = event.timestamp();
            }
            if (event.timestamp().isAfter(range[1])) {
                range[1] = event.timestamp();
            }
        }
        List<ObjectNode> results = new ArrayList<>();
        seen.forEach(
                (name, range) -> {
                    if (search != null && !name.toLowerCase(Locale.ROOT).contains(search)) {
                        return;
                    }
                    ObjectNode definition = Json.object();
                    definition.put("id", id("event:" + name));
                    definition.put("name", name);
                    definition.putNull("volume_30_day");
                    definition.putNull("query_usage_30_day");
                    definition.put("created_at", Json.time(range[0]));
                    definition.put("last_seen_at", Json.time(range[1]));
                    definition.putArray("tags");
                    results.add(definition);
                });
        return Response.json(200, Pagination.page(request, results));
    }

    private Response propertyDefinitions(Request request) {
        auth.requireProject(request);
        String type = request.queryParam("type") == null ? "event" : request.queryParam("type");
        String search = lower(request.queryParam("search"));
        Map<String, JsonNode> properties = new TreeMap<>();
        if ("person".equals(type)) {
            for (PersonSnapshot person : persons.get()) {
                person.properties()
                        .fields()
                        .forEachRemaining(f -> properties.putIfAbsent(f.getKey(), f.getValue()));
            }
        } else {
            for (CapturedEvent event : events.get()) {
                event.properties()
                        .fields()
                        .forEachRemaining(f -> properties.putIfAbsent(f.getKey(), f.getValue()));
            }
        }
        List<ObjectNode> results = new ArrayList<>();
        properties.forEach(
                (name, sample) -> {
                    if (search != null && !name.toLowerCase(Locale.ROOT).contains(search)) {
                        return;
                    }
                    ObjectNode definition = Json.object();
                    definition.put("id", id(type + ":" + name));
                    definition.put("name", name);
                    definition.put("is_numerical", sample.isNumber());
                    definition.put("property_type", propertyType(sample));
                    definition.put("type", "person".equals(type) ? 2 : 1);
                    definition.putArray("tags");
                    results.add(definition);
                });
        return Response.json(200, Pagination.page(request, results));
    }

    private static String propertyType(JsonNode sample) {
        if (sample.isNumber()) {
            return "Numeric";
        }
        if (sample.isBoolean()) {
            return "Boolean";
        }
        if (sample.isTextual() && sample.asText().matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            return "DateTime";
        }
        return "String";
    }

    private static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
