package io.github.posthogflink.client.persons;

import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.api.PrivateApi;
import io.github.posthogflink.client.api.ProjectScope;
import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.pagination.Pages;
import io.github.posthogflink.client.ratelimit.RateLimitClass;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Persons: {@code /api/projects/:id/persons/}. Deletes count in PostHog's person-delete throttles
 * ({@link RateLimitClass#PERSONS_DELETE}, 480/min and 4800/h), every other call in {@link
 * RateLimitClass#PERSONS} (240/min, no hourly cap), as {@code posthog/api/person.py} throttles
 * personal-key calls.
 */
public final class PersonsApi extends PrivateApi {
    /** PostHog reads at most this many ids per {@code batch_by_distinct_ids} call. */
    public static final int MAX_BATCH_DISTINCT_IDS = 200;

    /** PostHog refuses more than this many ids per {@code bulk_delete} call. */
    public static final int MAX_BULK_DELETE_IDS = 1000;

    public PersonsApi(HttpTransport transport) {
        super(transport);
    }

    private String base() {
        return ProjectScope.PROJECTS.path(projectId(), "persons");
    }

    /** Filters for {@link #list}: {@code distinct_id}, {@code email}, {@code search}, … */
    public static ListParams filters() {
        return ListParams.create();
    }

    /**
     * One page of persons. Filters: distinct_id, email, search, properties (JSON), limit, offset.
     */
    public CompletableFuture<Page<Person>> list(ListParams params) {
        return page(withParams(personsRequest("GET", base()), params), Person.class);
    }

    /** Every matching person, page after page, up to {@code maxItems}. */
    public Pages<Person> iterate(ListParams params, long maxItems) {
        return new Pages<>(
                () -> list(params),
                next -> nextPage(next, Person.class, RateLimitClass.PERSONS),
                maxItems);
    }

    /** Persons whose property {@code key} equals {@code value}, via the list's property filter. */
    public CompletableFuture<Page<Person>> findByProperty(String key, Object value) {
        List<Map<String, Object>> filter =
                List.of(Map.of("key", key, "value", value, "operator", "exact", "type", "person"));
        return list(
                ListParams.create()
                        .set("properties", new String(Json.write(filter), StandardCharsets.UTF_8)));
    }

    /** Persons with this email. */
    public CompletableFuture<Page<Person>> findByEmail(String email) {
        return list(ListParams.create().set("email", email));
    }

    /** One person by uuid or numeric id. */
    public CompletableFuture<Person> get(String id) {
        return call(personsRequest("GET", base() + segment(id) + "/"), Person.class);
    }

    /** Sets properties (PostHog applies it as {@code $set}, asynchronously; 202). */
    public CompletableFuture<Void> updateProperties(String id, Map<String, ?> properties) {
        return discard(
                transport.send(
                        personsRequest("PATCH", base() + segment(id) + "/")
                                .jsonBody(Map.of("properties", properties))
                                .retrySafe(true)));
    }

    /** Removes one property ({@code {"$unset": key}}). */
    public CompletableFuture<Void> deleteProperty(String id, String key) {
        return discard(
                transport.send(
                        personsRequest("POST", base() + segment(id) + "/delete_property/")
                                .jsonBody(Map.of("$unset", key))
                                .retrySafe(true)));
    }

    /** Splits a merged person back into one person per distinct id (PostHog's default). */
    public CompletableFuture<Void> split(String id) {
        return split(id, PersonSplit.all());
    }

    /**
     * Splits a merged person as {@code how} says: keeping one distinct id, or moving only some off.
     * PostHog answers 400 for a distinct id that is not on the person.
     */
    public CompletableFuture<Void> split(String id, PersonSplit how) {
        return discard(
                transport.send(
                        personsRequest("POST", base() + segment(id) + "/split/")
                                .jsonBody(how.body())
                                .retrySafe(false)));
    }

    /** Deletes one person (the record only). */
    public CompletableFuture<Void> delete(String id) {
        return delete(id, PersonDeletion.PERSON_ONLY);
    }

    /**
     * Deletes one person, and queues its events and recordings for deletion as {@code what} says
     * (PostHog reads these as query flags of {@code DELETE}); PostHog answers 202.
     */
    public CompletableFuture<Void> delete(String id, PersonDeletion what) {
        ApiRequest request = deleteRequest("DELETE", base() + segment(id) + "/");
        // PostHog checks the flags' presence, not their value.
        if (what.deleteEvents()) {
            request.query("delete_events", "true");
        }
        if (what.deleteRecordings()) {
            request.query("delete_recordings", "true");
        }
        if (what.keepPerson()) {
            request.query("keep_person", "true");
        }
        return discard(transport.send(request));
    }

    /** Deletes persons by uuid (at most {@value #MAX_BULK_DELETE_IDS} per call). */
    public CompletableFuture<BulkDeleteResult> bulkDeleteByIds(Collection<String> uuids) {
        return bulkDeleteByIds(uuids, PersonDeletion.PERSON_ONLY);
    }

    /** Deletes persons by uuid, with their events and recordings as {@code what} says. */
    public CompletableFuture<BulkDeleteResult> bulkDeleteByIds(
            Collection<String> uuids, PersonDeletion what) {
        return bulkDelete("ids", uuids, what);
    }

    /** Deletes persons by distinct id (at most {@value #MAX_BULK_DELETE_IDS} per call). */
    public CompletableFuture<BulkDeleteResult> bulkDeleteByDistinctIds(
            Collection<String> distinctIds) {
        return bulkDeleteByDistinctIds(distinctIds, PersonDeletion.PERSON_ONLY);
    }

    /** Deletes persons by distinct id, with their events and recordings as {@code what} says. */
    public CompletableFuture<BulkDeleteResult> bulkDeleteByDistinctIds(
            Collection<String> distinctIds, PersonDeletion what) {
        return bulkDelete("distinct_ids", distinctIds, what);
    }

    private CompletableFuture<BulkDeleteResult> bulkDelete(
            String field, Collection<String> ids, PersonDeletion what) {
        if (ids.isEmpty() || ids.size() > MAX_BULK_DELETE_IDS) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "bulk_delete takes 1 to "
                                    + MAX_BULK_DELETE_IDS
                                    + " "
                                    + field
                                    + ", got "
                                    + ids.size()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, new ArrayList<>(ids));
        body.put("delete_events", what.deleteEvents());
        body.put("delete_recordings", what.deleteRecordings());
        body.put("keep_person", what.keepPerson());
        return call(
                deleteRequest("POST", base() + "bulk_delete/").jsonBody(body).retrySafe(true),
                BulkDeleteResult.class);
    }

    /**
     * Looks up persons by distinct id in one call; ids without a person are absent. PostHog reads
     * at most {@value #MAX_BATCH_DISTINCT_IDS} ids per call, so larger sets are refused here rather
     * than silently truncated.
     */
    public CompletableFuture<Map<String, Person>> batchByDistinctIds(Collection<String> ids) {
        if (ids.size() > MAX_BATCH_DISTINCT_IDS) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "batch_by_distinct_ids takes at most "
                                    + MAX_BATCH_DISTINCT_IDS
                                    + " ids, got "
                                    + ids.size()));
        }
        return call(
                        personsRequest("POST", base() + "batch_by_distinct_ids/")
                                .jsonBody(Map.of("distinct_ids", new ArrayList<>(ids)))
                                .retrySafe(true),
                        BatchResult.class)
                .thenApply(r -> r.results == null ? Map.of() : r.results);
    }

    /** The cohorts a person belongs to. */
    public CompletableFuture<List<JsonNode>> cohorts(String personId) {
        return call(
                        personsRequest("GET", base() + "cohorts/").query("person_id", personId),
                        JsonNode.class)
                .thenApply(
                        json -> {
                            List<JsonNode> out = new ArrayList<>();
                            json.path("results").forEach(out::add);
                            return out;
                        });
    }

    /** Every persons call but deletes. */
    private ApiRequest personsRequest(String method, String path) {
        return request(method, path, RateLimitClass.PERSONS);
    }

    /** Deletes: {@code destroy} and {@code bulk_delete}. */
    private ApiRequest deleteRequest(String method, String path) {
        return request(method, path, RateLimitClass.PERSONS_DELETE);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class BatchResult {
        public LinkedHashMap<String, Person> results;
    }
}
