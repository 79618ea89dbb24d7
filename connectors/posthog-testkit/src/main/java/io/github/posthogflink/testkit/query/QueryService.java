package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLException;
import io.github.posthogflink.testkit.hogql.HogQLRequest;
import io.github.posthogflink.testkit.hogql.HogQLResult;
import io.github.posthogflink.testkit.hogql.QueryLogRow;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Secrets;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The query API's behaviour, as PostHog's {@code QueryRunner.run} and {@code posthog/api/query.py}
 * give it: execution modes over a result cache, async queries with statuses, and the query log.
 * {@link QueryApi} maps it onto HTTP.
 */
public final class QueryService {
    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

    /** PostHog's {@code _refresh_frequency}: {@code next_allowed_client_refresh} is this later. */
    static final Duration REFRESH_FREQUENCY = Duration.ofMinutes(1);

    /** The query PostHog's {@code get_query_log} runs. */
    static final String QUERY_LOG_HOGQL =
            "select * from query_log where query_id = {client_query_id} and event_date >="
                    + " yesterday()";

    /** Finds the persons that ActorsQuery and EventsQuery {@code person} columns expand. */
    public record Persons(
            Function<String, Optional<PersonSnapshot>> byDistinctId,
            Function<UUID, Optional<PersonSnapshot>> byUuid) {}

    /** An answer: HTTP status and body. */
    record Answer(int status, ObjectNode body) {}

    /** One request's query: its plan, cache key, id, name and the path it came through. */
    private record Call(
            QueryPlan plan, String cacheKey, String queryId, String name, String path) {}

    private final QueryBackend backend;
    private final Persons persons;
    private final Clock clock;
    private final ExecutorService executor;
    private final long teamId;
    private final String apiKeyMask;
    private final QueryCache cache = new QueryCache();
    private final Map<String, QueryStatus> statuses = new ConcurrentHashMap<>();

    public QueryService(
            QueryBackend backend,
            Persons persons,
            Clock clock,
            ExecutorService executor,
            long teamId,
            String personalApiKey) {
        this.backend = backend;
        this.persons = persons;
        this.clock = clock;
        this.executor = executor;
        this.teamId = teamId;
        this.apiKeyMask = mask(personalApiKey);
    }

    /** {@code POST query/}: runs the request's query in its execution mode. */
    Answer run(ObjectNode body, String path) {
        JsonNode query = body.get("query");
        if (query == null || !query.isObject()) {
            throw ApiError.invalidInput("This field is required.", "query");
        }
        QueryPlan plan = QueryTranslator.translate(query, clock.instant());
        String queryId =
                body.hasNonNull("client_query_id")
                        ? body.get("client_query_id").asText()
                        : UUID.randomUUID().toString().replace("-", "");
        String name =
                body.hasNonNull("name")
                        ? body.get("name").asText()
                        : query.path("name").isTextual() ? query.get("name").asText() : "";
        Call call = new Call(plan, QueryCache.key(query, teamId), queryId, name, path);
        ExecutionMode mode = ExecutionMode.fromRequest(body);
        if (mode == ExecutionMode.FORCE_ASYNC) {
            return answer(enqueue(call, true).wrapped());
        }
        if (mode != ExecutionMode.FORCE_BLOCKING) {
            ObjectNode cached = cache.get(call.cacheKey());
            if (cached != null) {
                Instant lastRefresh = Instant.parse(cached.get("last_refresh").asText());
                cached.put("is_cached", true);
                Instant now = clock.instant();
                if (!plan.staleness().stale(lastRefresh, now, false)) {
                    return answer(withStatus(cached, runningStatus(call.queryId())));
                }
                switch (mode) {
                    case ASYNC, ASYNC_EXCEPT_ON_CACHE_MISS -> {
                        return answer(withStatus(cached, enqueue(call, true)));
                    }
                    case LAZY_ASYNC -> {
                        if (plan.staleness().stale(lastRefresh, now, true)) {
                            enqueue(call, false);
                        }
                        return answer(withStatus(cached, runningStatus(call.queryId())));
                    }
                    default -> {
                        // BLOCKING: calculate below
                    }
                }
            } else if (mode == ExecutionMode.ASYNC || mode == ExecutionMode.LAZY_ASYNC) {
                ObjectNode miss = Json.object();
                miss.put("cache_key", call.cacheKey());
                return answer(withStatus(miss, enqueue(call, false)));
            }
        }
        try {
            return answer(calculate(call));
        } catch (HogQLException e) {
            throw QueryResponses.hogqlError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(500, "server_error", "error", "Query interrupted", null);
        }
    }

    /** 202 while the answer's query status is incomplete, as PostHog's {@code create}. */
    private static Answer answer(ObjectNode body) {
        JsonNode status = body.get("query_status");
        boolean incomplete =
                status != null && status.isObject() && !status.path("complete").asBoolean();
        return new Answer(incomplete ? 202 : 200, body);
    }

    private static ObjectNode withStatus(ObjectNode body, QueryStatus status) {
        if (status == null) {
            body.putNull("query_status");
        } else {
            body.set("query_status", status.render());
        }
        return body;
    }

    /**
     * The status of a still-running async query with this id, as {@code get_async_query_status}.
     */
    private QueryStatus runningStatus(String id) {
        QueryStatus status = current(id);
        return status != null && !status.complete ? status : null;
    }

    /**
     * Starts the query in the background under its id, as {@code enqueue_process_query_task}: a
     * query already known under the id is not started again unless a refresh is requested.
     */
    private QueryStatus enqueue(Call call, boolean refreshRequested) {
        QueryStatus existing = current(call.queryId());
        if (existing != null && !refreshRequested) {
            return existing;
        }
        if (existing != null && existing.future != null) {
            existing.future.cancel(true);
        }
        QueryStatus status = new QueryStatus(call.queryId(), teamId, clock.instant());
        statuses.put(status.id, status);
        status.future = executor.submit(() -> runAsync(status, call, refreshRequested));
        return status;
    }

    private void runAsync(QueryStatus status, Call call, boolean refreshRequested) {
        try {
            ObjectNode cached = refreshRequested ? null : freshCached(call);
            status.results = cached != null ? cached : calculate(call);
            status.complete = true;
            status.endTime = clock.instant();
        } catch (HogQLException e) {
            status.error = true;
            status.errorMessage = Secrets.redact(e.getMessage());
        } catch (InterruptedException e) {
            status.error = true;
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Async query {} failed: {}", status.id, Secrets.redact(e.toString()));
            status.error = true;
        } finally {
            status.storedAt = clock.instant();
        }
    }

    private ObjectNode freshCached(Call call) {
        ObjectNode cached = cache.get(call.cacheKey());
        if (cached == null) {
            return null;
        }
        Instant lastRefresh = Instant.parse(cached.get("last_refresh").asText());
        if (call.plan().staleness().stale(lastRefresh, clock.instant(), false)) {
            return null;
        }
        cached.put("is_cached", true);
        cached.putNull("query_status");
        return cached;
    }

    /**
     * Runs the query: the answer with PostHog's cache fields, stored in the cache, and a row in the
     * query log.
     */
    private ObjectNode calculate(Call call) throws HogQLException, InterruptedException {
        Instant start = clock.instant();
        HogQLResult result;
        try {
            result = backend.execute(call.plan().request());
        } catch (HogQLException e) {
            if (e.kind() == HogQLException.Kind.EXECUTION) {
                log(call, start, 0, 0, e);
            }
            throw e;
        }
        ObjectNode body = QueryResponses.calculated(call.plan(), result, persons, teamId);
        body.put("is_cached", false);
        body.put("last_refresh", Json.time(start));
        body.put("next_allowed_client_refresh", Json.time(start.plus(REFRESH_FREQUENCY)));
        body.put("cache_key", call.cacheKey());
        body.put("timezone", "UTC");
        body.put("cache_target_age", Json.time(call.plan().staleness().targetAge(start)));
        body.putNull("query_status");
        cache.put(call.cacheKey(), body);
        log(
                call,
                start,
                result.results().size(),
                Json.text(body.get("results")).getBytes(StandardCharsets.UTF_8).length,
                null);
        return body;
    }

    private void log(Call call, Instant start, long rows, long bytes, HogQLException failure) {
        backend.logQuery(
                new QueryLogRow(
                        call.queryId(),
                        call.path(),
                        call.plan().hogqlText(),
                        call.name(),
                        start,
                        clock.instant(),
                        rows,
                        bytes,
                        rows,
                        failure == null ? "QueryFinish" : "ExceptionWhileProcessing",
                        failure == null ? 0 : ClickHouseErrors.code(failure.getMessage()),
                        failure == null ? "" : ClickHouseErrors.name(failure.getMessage()),
                        true,
                        "testkit",
                        apiKeyMask));
    }

    /** {@code GET query/:id/}: 202 while running, 200 done, 400/500 failed, 404 unknown. */
    Answer status(String id) {
        QueryStatus status = current(id);
        if (status == null) {
            throw ApiError.notFound();
        }
        if (status.error) {
            return new Answer(status.errorMessage != null ? 400 : 500, status.wrapped());
        }
        return new Answer(status.complete ? 200 : 202, status.wrapped());
    }

    /**
     * {@code DELETE query/:id/}, as PostHog's {@code destroy}: 200 {@code {"message"}}; a finished
     * query stays, an unknown id is "cancelled" all the same.
     */
    Answer cancel(String id, boolean dequeueOnly) {
        QueryStatus status = current(id);
        if (status != null && status.complete) {
            return message("Query already complete");
        }
        if (status != null) {
            statuses.remove(id);
            if (status.future != null) {
                status.future.cancel(true);
            }
        }
        return message(
                dequeueOnly
                        ? "Only tried to dequeue, not cancelling query on clickhouse"
                        : "Cancelled query on clickhouse");
    }

    /**
     * {@code GET query/:id/log/}, as PostHog's {@code get_query_log}: the HogQL answer of {@link
     * #QUERY_LOG_HOGQL} (no cache fields).
     */
    Answer log(String id, String path) {
        QueryPlan plan =
                new QueryPlan(
                        "HogQLQuery",
                        HogQLRequest.of(QUERY_LOG_HOGQL, Map.of("client_query_id", id)),
                        null,
                        true,
                        Staleness.HOGQL,
                        QUERY_LOG_HOGQL,
                        false);
        Call call =
                new Call(
                        plan,
                        "",
                        UUID.randomUUID().toString().replace("-", ""),
                        "get_query_log",
                        path);
        Instant start = clock.instant();
        try {
            HogQLResult result = backend.execute(plan.request());
            log(call, start, result.results().size(), 0, null);
            return new Answer(200, QueryResponses.calculated(plan, result, persons, teamId));
        } catch (HogQLException e) {
            throw QueryResponses.hogqlError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(500, "server_error", "error", "Query interrupted", null);
        }
    }

    private QueryStatus current(String id) {
        QueryStatus status = statuses.get(id);
        if (status != null && status.expired(clock.instant())) {
            statuses.remove(id, status);
            return null;
        }
        return status;
    }

    private static Answer message(String text) {
        return new Answer(200, Json.object().put("message", text));
    }

    /** PostHog shows a personal key as its first and last four characters. */
    private static String mask(String key) {
        if (key == null || key.length() < 8) {
            return "";
        }
        return key.substring(0, 4) + "..." + key.substring(key.length() - 4);
    }

    /** Forgets cached answers and async statuses. */
    public void clear() {
        statuses.values()
                .forEach(
                        s -> {
                            if (s.future != null) {
                                s.future.cancel(true);
                            }
                        });
        statuses.clear();
        cache.clear();
    }

    /** Forgets cached answers only, so the next query of any mode calculates. */
    public void clearCache() {
        cache.clear();
    }

    /**
     * The slow-query switch: every query takes at least this long from now on (a blocking query
     * answers this much later, an async one stays running as long); {@code Duration.ZERO} turns it
     * off. {@code reset()} turns it off too.
     */
    public void executionTime(Duration time) {
        backend.executionTime(time);
    }
}
