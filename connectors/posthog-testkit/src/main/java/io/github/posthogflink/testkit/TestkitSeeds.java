package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.api.CrudApi;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Java helpers to put data in the server without going through HTTP. */
public final class TestkitSeeds {
    private final TestkitComponents components;

    TestkitSeeds(TestkitComponents components) {
        this.components = components;
    }

    /**
     * Events only the query API sees, inserted in bulk straight into its HogQL engine: no capture,
     * no persons, not in {@code events()}. For benchmarks and tests over millions of rows, which
     * capture would hold in memory twice over.
     */
    public void queryOnlyEvents(Collection<EventRow> rows) {
        components.queryBackend.insertQueryOnly(rows);
    }

    /** A boolean flag released to {@code rolloutPercentage}% of everyone. */
    public ObjectNode createFlag(String key, int rolloutPercentage) {
        ObjectNode body = Json.object().put("key", key).put("name", key);
        ObjectNode group = body.putObject("filters").putArray("groups").addObject();
        group.putArray("properties");
        group.put("rollout_percentage", rolloutPercentage);
        return createFlag(body);
    }

    /** A flag from the same body as {@code POST /api/projects/:id/feature_flags/}. */
    public ObjectNode createFlag(ObjectNode body) {
        return components.flags.create(body);
    }

    /**
     * A flag whose non-string payload values are kept as sent, as PostHog stored payloads before
     * its API turned them into JSON-encoded strings: {@code /flags} then serves them as JSON
     * values, which PostHog does for such older flags today.
     */
    public ObjectNode createFlagWithPayloadsAsSent(ObjectNode body) {
        return components.flags.create(body, false);
    }

    /**
     * Makes the project quota-limited for {@code resource}, as PostHog's billing does when a quota
     * is spent: capture drops events ({@code 200} on v0, {@code 429} on v1), {@code /flags} answers
     * no flag and {@code "quotaLimited": ["feature_flags"]}. {@code reset()} lifts it.
     */
    public void quotaLimit(QuotaLimits.Resource resource) {
        components.quota.limit(resource);
    }

    /** Lifts a quota limit set by {@link #quotaLimit}. */
    public void liftQuotaLimit(QuotaLimits.Resource resource) {
        components.quota.lift(resource);
    }

    /** Creates (or updates) the person of this distinct id with these properties ({@code $set}). */
    public PersonSnapshot createPerson(String distinctId, Map<String, ?> properties) {
        return components.persons.upsert(
                distinctId,
                Json.valueToTree(properties),
                null,
                null,
                components.config.clock().instant());
    }

    /** As an {@code $identify} event: links the anonymous id, then sets the properties. */
    public PersonSnapshot identify(String distinctId, String anonDistinctId, Map<String, ?> set) {
        if (anonDistinctId != null && !anonDistinctId.equals(distinctId)) {
            components.persons.link(
                    distinctId, anonDistinctId, true, components.config.clock().instant());
        }
        return createPerson(distinctId, set);
    }

    /**
     * Another personal API key with these scopes (e.g. {@code "query:read"}; {@code "*"} for all),
     * or new scopes for an existing one, the server's own key included.
     */
    public void personalApiKey(String key, String... scopes) {
        components.auth.addPersonalKey(key, List.of(scopes));
    }

    /** Replaces the group type mapping (index to name). */
    public void setGroupTypeMapping(Map<Integer, String> mapping) {
        components.groups.setTypeMapping(mapping);
    }

    /** As a {@code $groupidentify} event. */
    public void identifyGroup(String groupType, String groupKey, Map<String, ?> properties) {
        components.groups.identify(
                groupType,
                groupKey,
                Json.valueToTree(properties),
                components.config.clock().instant());
    }

    /** A dynamic cohort matching these property filters ({@code {"type":"OR","values":[...]}}). */
    public ObjectNode createDynamicCohort(String name, JsonNode properties) {
        ObjectNode body = Json.object().put("name", name).put("is_static", false);
        body.putObject("filters").set("properties", properties);
        return components.cohortsApi.create(body);
    }

    /** A static cohort holding the persons of these distinct ids (created when missing). */
    public ObjectNode createStaticCohort(String name, String... distinctIds) {
        ObjectNode cohort =
                components.cohortsApi.create(
                        Json.object().put("name", name).put("is_static", true));
        addToStaticCohort(cohort.get("id").asLong(), distinctIds);
        return components.cohorts.cohort(cohort.get("id").asLong()).orElseThrow();
    }

    public void addToStaticCohort(long cohortId, String... distinctIds) {
        List<UUID> uuids = new ArrayList<>();
        for (String distinctId : distinctIds) {
            PersonSnapshot person =
                    components
                            .persons
                            .byDistinctId(distinctId)
                            .orElseGet(() -> createPerson(distinctId, Map.of()));
            uuids.add(person.uuid());
        }
        components.cohorts.addStaticMembers(cohortId, uuids);
    }

    /** A session recording ({@code id} required), served by {@code session_recordings}. */
    public ObjectNode sessionRecording(ObjectNode recording) {
        return components.recordings.seed(recording);
    }

    /**
     * A resource of a generic kind: insights, dashboards, annotations, experiments, surveys,
     * actions.
     */
    public ObjectNode resource(String kind, ObjectNode body) {
        CrudApi crud = components.resources.get(kind);
        if (crud == null) {
            throw new IllegalArgumentException("Unknown resource kind: " + kind);
        }
        return crud.create(body);
    }
}
