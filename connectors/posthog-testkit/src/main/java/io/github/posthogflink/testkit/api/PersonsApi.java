package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;
import io.github.posthogflink.testkit.persons.PropertyFilters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** PostHog's persons API ({@code posthog/api/person.py}). */
public final class PersonsApi {
    static final int BATCH_DISTINCT_IDS_LIMIT = 200;
    static final int BATCH_DISTINCT_IDS_PER_PERSON = 10;
    private static final String BASE = Router.PROJECT + "/persons";
    private static final String ONE = BASE + "/(?<id>[^/]+)";

    private final PersonStore persons;
    private final CohortRegistry cohorts;
    private final ApiAuth auth;
    private final Clock clock;

    public PersonsApi(PersonStore persons, CohortRegistry cohorts, ApiAuth auth, Clock clock) {
        this.persons = persons;
        this.cohorts = cohorts;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(Router router) {
        router.get(BASE + "/?", this::list);
        router.post(BASE + "/?", this::create);
        router.post(BASE + "/bulk_delete/?", this::bulkDelete);
        router.post(BASE + "/batch_by_distinct_ids/?", this::batchByDistinctIds);
        router.get(BASE + "/cohorts/?", this::cohortsOfPerson);
        router.get(
                ONE + "/?",
                r -> Response.json(200, PersonJson.render(find(r, r.pathGroup("id")), -1)));
        router.patch(ONE + "/?", this::update);
        router.delete(ONE + "/?", this::delete);
        router.post(ONE + "/delete_property/?", this::deleteProperty);
        router.post(ONE + "/update_property/?", this::updateProperty);
        router.post(ONE + "/split/?", this::split);
    }

    private Response list(Request request) {
        auth.requireProject(request);
        Predicate<PersonSnapshot> filter = listFilter(request);
        List<PersonSnapshot> matching = new ArrayList<>();
        for (PersonSnapshot person : persons.all()) {
            if (filter.test(person)) {
                matching.add(person);
            }
        }
        List<ObjectNode> rendered = new ArrayList<>();
        // Newest first, as PostHog's person list orders by created_at descending.
        for (int i = matching.size() - 1; i >= 0; i--) {
            rendered.add(PersonJson.render(matching.get(i), -1));
        }
        ObjectNode page =
                Pagination.page(request, rendered, request.hasQueryParam("include_total"));
        return Response.json(200, page);
    }

    private Predicate<PersonSnapshot> listFilter(Request request) {
        String distinctId = request.queryParam("distinct_id");
        String email = request.queryParam("email");
        String search = request.queryParam("search");
        JsonNode properties = parseProperties(request.queryParam("properties"));
        return person -> {
            if (distinctId != null && !person.distinctIds().contains(distinctId)) {
                return false;
            }
            if (email != null && !email.equals(person.property("email"))) {
                return false;
            }
            if (search != null && !searchMatches(person, search)) {
                return false;
            }
            return properties == null
                    || PropertyFilters.matches(
                            properties, person.properties(), id -> cohorts.isMember(id, person));
        };
    }

    private static boolean searchMatches(PersonSnapshot person, String search) {
        String needle = search.toLowerCase(Locale.ROOT);
        String email = person.property("email");
        String name = person.property("name");
        return (email != null && email.toLowerCase(Locale.ROOT).contains(needle))
                || (name != null && name.toLowerCase(Locale.ROOT).contains(needle))
                || person.distinctIds().stream()
                        .anyMatch(id -> id.toLowerCase(Locale.ROOT).contains(needle));
    }

    private static JsonNode parseProperties(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (IOException e) {
            throw ApiError.invalidInput("Properties are unparsable!", "properties");
        }
    }

    private Response create(Request request) {
        auth.requireProject(request);
        throw new ApiError(
                405,
                "invalid_request",
                "method_not_allowed",
                "Creating persons via this API is not allowed. Please create persons by sending"
                        + " an $identify event.",
                null);
    }

    private Response update(Request request) {
        PersonSnapshot person = find(request, request.pathGroup("id"));
        JsonNode properties = JsonBodies.object(request).get("properties");
        if (properties == null || !properties.isObject()) {
            // PostHog's own body for this case (code and detail as PostHog sends them).
            return Response.json(
                    400,
                    Json.object()
                            .put("attr", "properties")
                            .put("code", "This field is required.")
                            .put("detail", "required")
                            .put("type", "validation_error"));
        }
        persons.updateProperties(person.uuid(), (ObjectNode) properties, false);
        return Response.empty(202);
    }

    private Response updateProperty(Request request) {
        PersonSnapshot person = find(request, request.pathGroup("id"));
        ObjectNode body = JsonBodies.object(request);
        if (!body.hasNonNull("key") || !body.hasNonNull("value")) {
            String attr = !body.hasNonNull("value") ? "value" : "key";
            return Response.json(
                    400,
                    Json.object()
                            .put("attr", attr)
                            .put("code", "This field is required.")
                            .put("detail", "required")
                            .put("type", "validation_error"));
        }
        ObjectNode set = Json.object();
        set.set(body.get("key").asText(), body.get("value"));
        persons.updateProperties(person.uuid(), set, false);
        return Response.empty(202);
    }

    /**
     * {@code destroy}: deletes the person unless {@code keep_person}; {@code delete_events} and
     * {@code delete_recordings} queue those (PostHog reads the flags' presence in the query).
     */
    private Response delete(Request request) {
        PersonSnapshot person = find(request, request.pathGroup("id"));
        if (!request.hasQueryParam("keep_person")) {
            persons.delete(person.uuid());
        }
        return Response.empty(202);
    }

    private Response deleteProperty(Request request) {
        PersonSnapshot person = find(request, request.pathGroup("id"));
        JsonNode key = JsonBodies.object(request).get("$unset");
        if (key == null || !key.isTextual()) {
            throw ApiError.invalidInput("This field is required.", "$unset");
        }
        persons.deleteProperty(person.uuid(), key.asText());
        return Response.json(201, Json.object().put("success", true));
    }

    /** {@code split} with PostHog's checks of {@code main_distinct_id} and its inverse. */
    private Response split(Request request) {
        PersonSnapshot person = find(request, request.pathGroup("id"));
        ObjectNode body = JsonBodies.object(request);
        JsonNode main = body.get("main_distinct_id");
        JsonNode toSplit = body.get("distinct_ids_to_split");
        List<String> ids = null;
        if (toSplit != null && !toSplit.isNull()) {
            if (!toSplit.isArray() || !allText(toSplit)) {
                throw invalid("must be a list of strings", "distinct_ids_to_split");
            }
            if (toSplit.isEmpty()) {
                throw invalid("must not be empty", "distinct_ids_to_split");
            }
            if (main != null && !main.isNull()) {
                throw invalid(
                        "main_distinct_id cannot be combined with distinct_ids_to_split", null);
            }
            List<String> asked = new ArrayList<>();
            toSplit.forEach(id -> asked.add(id.asText()));
            List<String> unknown =
                    asked.stream()
                            .filter(id -> !person.distinctIds().contains(id))
                            .sorted()
                            .toList();
            ids = asked;
            if (!unknown.isEmpty()) {
                throw invalid(
                        "not on this person: " + pythonList(unknown), "distinct_ids_to_split");
            }
        }
        String mainId = main == null || main.isNull() ? null : main.asText();
        persons.split(person.uuid(), clock.instant(), mainId, ids);
        return Response.json(201, Json.object().put("success", true));
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** As Python prints a list of strings: {@code ['a', 'b']}. */
    private static String pythonList(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "'" : ", '").append(items.get(i)).append('\'');
        }
        return out.append(']').toString();
    }

    /** A DRF {@code ValidationError} raised with a message: code {@code invalid}. */
    private static ApiError invalid(String detail, String attr) {
        return new ApiError(400, "validation_error", "invalid", detail, attr);
    }

    private Response bulkDelete(Request request) {
        auth.requireProject(request);
        ObjectNode body = JsonBodies.object(request);
        Set<UUID> targets = new LinkedHashSet<>();
        if (body.path("distinct_ids").size() > 0 && body.path("ids").size() > 0) {
            throw ApiError.invalidInput(
                    "You must provide either distinct_ids or ids, not both", null);
        }
        if (body.path("distinct_ids").size() > 0) {
            requireAtMost(body.get("distinct_ids"), "distinct_ids");
            body.get("distinct_ids")
                    .forEach(
                            id ->
                                    persons.byDistinctId(id.asText())
                                            .ifPresent(p -> targets.add(p.uuid())));
        } else if (body.path("ids").size() > 0) {
            requireAtMost(body.get("ids"), "ids");
            body.get("ids").forEach(id -> parseUuid(id.asText()).ifPresent(targets::add));
        } else {
            throw ApiError.invalidInput("You need to specify either distinct_ids or ids", null);
        }
        // PostHog reads the flags with Python's bool(): any non-empty value is true.
        boolean keepPerson = truthy(body.get("keep_person"));
        if (!keepPerson) {
            targets.forEach(persons::delete);
        }
        // PostHog's summary; event and recording deletion are only "queued" here.
        ObjectNode summary = Json.object();
        summary.put("persons_found", targets.size());
        summary.put("persons_deleted", keepPerson ? 0 : targets.size());
        summary.put(
                "events_queued_for_deletion",
                truthy(body.get("delete_events")) && !targets.isEmpty());
        summary.put(
                "recordings_queued_for_deletion",
                truthy(body.get("delete_recordings")) && !targets.isEmpty());
        summary.putArray("deletion_errors");
        return Response.json(202, summary);
    }

    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            return value.asDouble() != 0;
        }
        return value.isTextual() ? !value.asText().isEmpty() : !value.isEmpty();
    }

    private static void requireAtMost(JsonNode ids, String field) {
        if (ids.size() > 1000) {
            throw ApiError.invalidInput("You can only pass 1000 " + field + " in one call", null);
        }
    }

    private Response batchByDistinctIds(Request request) {
        auth.requireProject(request);
        JsonNode ids = JsonBodies.object(request).path("distinct_ids");
        ObjectNode results = Json.object();
        int count = 0;
        for (JsonNode id : ids) {
            if (count++ >= BATCH_DISTINCT_IDS_LIMIT) {
                break;
            }
            persons.byDistinctId(id.asText())
                    .ifPresent(
                            p ->
                                    results.set(
                                            id.asText(),
                                            PersonJson.render(p, BATCH_DISTINCT_IDS_PER_PERSON)));
        }
        ObjectNode body = Json.object();
        body.set("results", results);
        return Response.json(200, body);
    }

    private Response cohortsOfPerson(Request request) {
        auth.requireProject(request);
        String personId = request.queryParam("person_id");
        if (personId == null) {
            throw ApiError.invalidInput("person_id is required", "person_id");
        }
        PersonSnapshot person = lookup(personId).orElseThrow(ApiError::notFound);
        ArrayNode results = Json.array();
        cohorts.cohortsOf(person).forEach(results::add);
        ObjectNode body = Json.object();
        body.set("results", results);
        return Response.json(200, body);
    }

    private PersonSnapshot find(Request request, String id) {
        auth.requireProject(request);
        return lookup(id).orElseThrow(ApiError::notFound);
    }

    /** By numeric id or uuid; 400 when the id is neither. */
    Optional<PersonSnapshot> lookup(String id) {
        if (id.matches("\\d+")) {
            return persons.byId(Long.parseLong(id));
        }
        Optional<UUID> uuid = parseUuid(id);
        if (uuid.isEmpty()) {
            throw ApiError.invalidInput(
                    "The ID provided does not look like a personID. If you are using a"
                            + " distinctId, please use /persons?distinct_id="
                            + id
                            + " instead.",
                    null);
        }
        return persons.byUuid(uuid.get());
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
