package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Cohorts: the generic CRUD plus {@code GET cohorts/:id/persons/} and {@code PATCH
 * cohorts/:id/add_persons_to_static_cohort/} ({@code {"person_ids": [uuid...]}}).
 */
public final class CohortsApi {
    private static final String ONE = Router.PROJECT + "/cohorts/(?<id>\\d+)";

    private final CohortRegistry cohorts;
    private final PersonStore persons;
    private final ApiAuth auth;
    private final CrudApi crud;

    public CohortsApi(
            CohortRegistry cohorts,
            PersonStore persons,
            ApiAuth auth,
            Clock clock,
            ObjectNode user) {
        this.cohorts = cohorts;
        this.persons = persons;
        this.auth = auth;
        this.crud =
                new CrudApi(
                        cohorts.store(),
                        auth,
                        clock,
                        user,
                        DeletePolicy.SOFT_RETRIEVABLE,
                        (r, c) -> true);
    }

    public void register(Router router) {
        router.get(ONE + "/persons/?", this::members);
        router.patch(ONE + "/add_persons_to_static_cohort/?", this::addPersons);
        router.post(
                Router.PROJECT + "/cohorts/?",
                request -> {
                    auth.requireProject(request);
                    return Response.json(201, create(JsonBodies.object(request)));
                });
        crud.register(router);
    }

    /** Creates a cohort with PostHog's defaults (name, filters, is_static...). */
    public ObjectNode create(ObjectNode body) {
        ObjectNode withDefaults = Json.object();
        withDefaults.put("name", "");
        withDefaults.put("description", "");
        withDefaults.putArray("groups");
        withDefaults.putObject("filters");
        withDefaults.put("is_static", false);
        withDefaults.put("is_calculating", false);
        withDefaults.putNull("count");
        withDefaults.setAll(body);
        return crud.create(withDefaults);
    }

    private Response members(Request request) {
        auth.requireProject(request);
        long id = CrudApi.id(request);
        cohorts.cohort(id).orElseThrow(ApiError::notFound);
        List<ObjectNode> members = new ArrayList<>();
        for (PersonSnapshot person : persons.all()) {
            if (cohorts.isMember(id, person)) {
                members.add(PersonJson.render(person, -1));
            }
        }
        return Response.json(200, Pagination.page(request, members));
    }

    private Response addPersons(Request request) {
        auth.requireProject(request);
        long id = CrudApi.id(request);
        ObjectNode cohort = cohorts.cohort(id).orElseThrow(ApiError::notFound);
        if (!cohorts.isStatic(cohort)) {
            throw ApiError.invalidInput("Can only add users to static cohorts", null);
        }
        List<UUID> uuids = new ArrayList<>();
        for (JsonNode personId : JsonBodies.object(request).path("person_ids")) {
            try {
                uuids.add(UUID.fromString(personId.asText()));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidInput("Invalid person id.", "person_ids");
            }
        }
        cohorts.addStaticMembers(id, uuids);
        return Response.json(200, cohorts.cohort(id).orElseThrow());
    }
}
