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
 * Persons: {@code /api/projects/:id/persons/}. Reads count against the analytics budget, deletes
 * against CRUD.
 */
public final class PersonsApi extends PrivateApi {
    /** PostHog reads at most this many ids per {@code batch_by_distinct_ids} call. */
    public static final int MAX_BATCH_DISTINCT_IDS = 200;

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
        return page(withParams(read("GET", base()), params), Person.class);
    }

    /** Every matching person, page after page, up to {@code maxItems}. */
    public Pages<Person> iterate(ListParams params, long maxItems) {
        return new Pages<>(
                () -> list(params),
                next -> nextPage(next, Person.class, RateLimitClass.ANALYTICS),
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
        return call(read("GET", base() + id + "/"), Person.class);
    }

    /** Sets properties (PostHog applies it as {@code $set}, asynchronously; 202). */
    public CompletableFuture<Void> updateProperties(String id, Map<String, ?> properties) {
        return discard(
                transport.send(
                        read("PATCH", base() + id + "/")
                                .jsonBody(Map.of("properties", properties))
                                .retrySafe(true)));
    }

    /** Removes one property ({@code {"$unset": key}}). */
    public CompletableFuture<Void> deleteProperty(String id, String key) {
        return discard(
                transport.send(
                        read("POST", base() + id + "/delete_property/")
                                .jsonBody(Map.of("$unset", key))
                                .retrySafe(true)));
    }

    /** Splits a merged person back into one person per distinct id. */
    public CompletableFuture<Void> split(String id) {
        return discard(
                transport.send(
                        read("POST", base() + id + "/split/").jsonBody(Map.of()).retrySafe(false)));
    }

    /** Deletes one person. */
    public CompletableFuture<Void> delete(String id) {
        return discard(transport.send(write("DELETE", base() + id + "/")));
    }

    /** Deletes persons by uuid (at most 1000 per call). */
    public CompletableFuture<JsonNode> bulkDeleteByIds(Collection<String> uuids) {
        return call(
                write("POST", base() + "bulk_delete/")
                        .jsonBody(Map.of("ids", uuids))
                        .retrySafe(true),
                JsonNode.class);
    }

    /** Deletes persons by distinct id (at most 1000 per call). */
    public CompletableFuture<JsonNode> bulkDeleteByDistinctIds(Collection<String> distinctIds) {
        return call(
                write("POST", base() + "bulk_delete/")
                        .jsonBody(Map.of("distinct_ids", distinctIds))
                        .retrySafe(true),
                JsonNode.class);
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
                        read("POST", base() + "batch_by_distinct_ids/")
                                .jsonBody(Map.of("distinct_ids", new ArrayList<>(ids)))
                                .retrySafe(true),
                        BatchResult.class)
                .thenApply(r -> r.results == null ? Map.of() : r.results);
    }

    /** The cohorts a person belongs to. */
    public CompletableFuture<List<JsonNode>> cohorts(String personId) {
        return call(read("GET", base() + "cohorts/").query("person_id", personId), JsonNode.class)
                .thenApply(
                        json -> {
                            List<JsonNode> out = new ArrayList<>();
                            json.path("results").forEach(out::add);
                            return out;
                        });
    }

    private ApiRequest read(String method, String path) {
        return request(method, path, RateLimitClass.ANALYTICS);
    }

    private ApiRequest write(String method, String path) {
        return request(method, path, RateLimitClass.CRUD);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class BatchResult {
        public LinkedHashMap<String, Person> results;
    }
}
