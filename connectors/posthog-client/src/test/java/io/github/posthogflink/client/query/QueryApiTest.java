package io.github.posthogflink.client.query;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.client.ratelimit.ThrottleScope;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryApiTest {
    private static final String QUERY_PATH = "/api/projects/42/query/";
    private static final String QUERY_ID = "0190f1e2-aaaa-7bbb-8ccc-ddddeeeeffff";
    private static final String RESULT =
            """
            {"cache_key":"cache_7d1c","is_cached":false,"last_refresh":"2026-11-27T10:00:00Z",
             "columns":["event","count()"],
             "types":[["event","String"],["count()","UInt64"]],
             "results":[["$pageview",1204],["signed_up",31]],
             "hasMore":false,"limit":100,"offset":0,
             "hogql":"SELECT event, count() FROM events GROUP BY event LIMIT 100",
             "timings":[{"k":"./query","t":0.05}],"modifiers":{"personsOnEventsMode":"person_id_override_properties_joined"}}
            """;

    @RegisterExtension final RecordingServer server = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static String status(boolean complete, String results) {
        return "{\"query_status\":{\"id\":\""
                + QUERY_ID
                + "\",\"team_id\":42,\"query_async\":true,\"complete\":"
                + complete
                + ",\"error\":false,\"error_message\":null,\"results\":"
                + results
                + ",\"start_time\":\"2026-11-27T10:00:00Z\",\"end_time\":null,"
                + "\"expiration_time\":\"2026-11-27T10:20:00Z\",\"task_id\":\"t-1\","
                + "\"query_progress\":null}}";
    }

    @Test
    void queryRunsABlockingHogQLQueryWithValuesAndName() {
        server.on("POST", QUERY_PATH).reply(Reply.json(200, RESULT));
        HogQLQuery q =
                HogQLQuery.hogql(
                                "SELECT event, count() FROM events WHERE timestamp > {since}"
                                        + " GROUP BY event")
                        .value("since", "2026-11-01");

        QueryResponse response = PostHogClient.await(client.query().query(q, "daily-counts"));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "POST", QUERY_PATH);
        JsonNode body = r.json();
        assertThat(body.path("query").path("kind").asText()).isEqualTo("HogQLQuery");
        assertThat(body.path("query").path("query").asText()).contains("{since}");
        assertThat(body.path("query").path("values").path("since").asText())
                .isEqualTo("2026-11-01");
        // fresh rows: PostHog's "blocking" would answer from its cache for minutes
        assertThat(body.path("refresh").asText()).isEqualTo("force_blocking");
        assertThat(body.path("name").asText()).isEqualTo("daily-counts");
        assertThat(body.has("client_query_id")).isFalse();

        assertThat(response.columns()).containsExactly("event", "count()");
        assertThat(response.typeOf(0)).isEqualTo("String");
        assertThat(response.typeOf(1)).isEqualTo("UInt64");
        assertThat(response.results()).hasSize(2);
        assertThat(response.results().get(0)).containsExactly("$pageview", 1204);
        assertThat(response.more()).isFalse();
        assertThat(response.limit()).isEqualTo(100);
        assertThat(response.hogql()).startsWith("SELECT event");
        assertThat(response.cached()).isFalse();
        assertThat(response.cacheKey()).isEqualTo("cache_7d1c");
        assertThat(response.lastRefresh()).isEqualTo("2026-11-27T10:00:00Z");
    }

    @Test
    void hogqlShorthandSendsNoName() {
        server.on("POST", QUERY_PATH).reply(Reply.json(200, RESULT));

        PostHogClient.await(client.query().hogql("SELECT 1"));

        JsonNode body = server.onlyRequest().json();
        assertThat(body.path("query").path("query").asText()).isEqualTo("SELECT 1");
        assertThat(body.has("name")).isFalse();
        assertThat(body.path("query").has("values")).isFalse();
    }

    @Test
    void eventsQueryCarriesItsOwnFields() {
        server.on("POST", QUERY_PATH).reply(Reply.json(200, RESULT));

        PostHogClient.await(
                client.query()
                        .query(
                                HogQLQuery.events(List.of("event", "timestamp"))
                                        .field("where", List.of("event = 'signed_up'"))
                                        .field("limit", 10),
                                null));

        JsonNode query = server.onlyRequest().json().path("query");
        assertThat(query.path("kind").asText()).isEqualTo("EventsQuery");
        assertThat(query.path("select")).hasSize(2);
        assertThat(query.path("limit").asInt()).isEqualTo(10);
    }

    @Test
    void startSendsAsyncRefreshAndTheClientQueryId() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));

        QueryStatus started =
                PostHogClient.await(
                        client.query().start(HogQLQuery.hogql("SELECT 1"), "job", QUERY_ID));

        JsonNode body = server.onlyRequest().json();
        assertThat(body.path("refresh").asText()).isEqualTo("force_async");
        assertThat(body.path("client_query_id").asText()).isEqualTo(QUERY_ID);
        assertThat(started.id()).isEqualTo(QUERY_ID);
        assertThat(started.complete()).isFalse();
    }

    @Test
    void statusPollsTheQueryAndCancelDeletesIt() {
        server.on("GET", QUERY_PATH + QUERY_ID + "/").reply(Reply.json(202, status(false, "null")));
        server.on("DELETE", QUERY_PATH + QUERY_ID + "/")
                .reply(Reply.json(200, "{\"message\":\"Query cancelled\"}"));

        QueryStatus polled = PostHogClient.await(client.query().status(QUERY_ID));
        PostHogClient.await(client.query().cancel(QUERY_ID));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(2);
        assertPrivate(sent.get(0), "GET", QUERY_PATH + QUERY_ID + "/");
        assertPrivate(sent.get(1), "DELETE", QUERY_PATH + QUERY_ID + "/");
        assertThat(polled.complete()).isFalse();
    }

    /**
     * PostHog's {@code QueryViewSet.get_throttles} on a team with the legacy query limits: a HogQL
     * start counts in {@code query} (120/h), polls and cancels in the ClickHouse buckets, the log
     * in the API-queries buckets. A spent HogQL budget holds the next start only.
     */
    @Test
    void pollsCancelsAndTheLogDoNotWaitForASpentHogQLBudget() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/").reply(Reply.json(202, status(false, "null")));
        server.on("DELETE", QUERY_PATH + QUERY_ID + "/")
                .reply(Reply.json(200, "{\"message\":\"Query cancelled\"}"));
        server.on("GET", QUERY_PATH + QUERY_ID + "/log/").reply(Reply.json(200, RESULT));
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLegacyQueryLimits()
                        .withLimits(ThrottleScope.HOGQL_QUERY, new Window(1, Duration.ofHours(1)));
        try (PostHogClient limited =
                PostHogClient.create(TestClients.config(server).rateLimitPolicy(policy).build())) {
            PostHogClient.await(limited.query().start(HogQLQuery.hogql("SELECT 1"), null, null));

            CompletableFuture<QueryStatus> poll = limited.query().status(QUERY_ID);
            CompletableFuture<Void> cancel = limited.query().cancel(QUERY_ID);
            CompletableFuture<QueryResponse> log = limited.query().log(QUERY_ID);
            CompletableFuture<QueryStatus> second =
                    limited.query().start(HogQLQuery.hogql("SELECT 2"), null, null);

            assertThat(poll).succeedsWithin(Duration.ofSeconds(10));
            assertThat(cancel).succeedsWithin(Duration.ofSeconds(10));
            assertThat(log).succeedsWithin(Duration.ofSeconds(10));
            assertThat(second).as("the hour's one HogQL start is spent").isNotDone();
            assertThat(server.requests())
                    .extracting(RecordedRequest::method)
                    .containsExactlyInAnyOrder("POST", "GET", "DELETE", "GET");
        }
    }

    @Test
    void runAsyncStartsPollsThrough202AndReturnsTheRows() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/")
                .reply(
                        Reply.json(202, status(false, "null")),
                        Reply.json(200, status(true, RESULT)));

        QueryResponse response =
                PostHogClient.await(
                        client.query()
                                .runAsync(
                                        HogQLQuery.hogql("SELECT event, count() FROM events"),
                                        "async-job",
                                        Duration.ofMillis(10),
                                        Duration.ofSeconds(10)));

        assertThat(server.requests())
                .extracting(RecordedRequest::line)
                .containsExactly(
                        "POST " + QUERY_PATH,
                        "GET " + QUERY_PATH + QUERY_ID + "/",
                        "GET " + QUERY_PATH + QUERY_ID + "/");
        assertThat(server.requests().get(0).json().path("refresh").asText())
                .isEqualTo("force_async");
        assertThat(response.columns()).containsExactly("event", "count()");
        assertThat(response.results()).hasSize(2);
    }

    @Test
    void runAsyncNamesTheQuerySoThatARetriedStartIsTheSameQuery() {
        server.on("POST", QUERY_PATH)
                .reply(Reply.status(503), Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/").reply(Reply.json(200, status(true, RESULT)));

        runAsync("SELECT 1");

        List<RecordedRequest> starts = server.requests("POST", QUERY_PATH);
        assertThat(starts).hasSize(2);
        String id = starts.get(0).json().path("client_query_id").asText();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(starts.get(1).json().path("client_query_id").asText()).isEqualTo(id);
    }

    @Test
    void aCompletedStatusWithAnErrorFailsTheQuery() {
        server.on("POST", QUERY_PATH)
                .reply(
                        Reply.json(
                                200,
                                status(true, "null")
                                        .replace("\"error\":false", "\"error\":true")
                                        .replace(
                                                "\"error_message\":null",
                                                "\"error_message\":\"Query exceeded memory\"")));

        assertThatThrownBy(() -> runAsync("SELECT 1"))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo("query_error");
                            assertThat(e.detail()).isEqualTo("Query exceeded memory");
                        });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aBlockingQueryAnswered202IsAnError() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));

        assertThatThrownBy(() -> PostHogClient.await(client.query().hogql("SELECT 1")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runAsyncSurfacesAFailedQueryAsPostHogException() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/")
                .reply(
                        Reply.error(
                                400,
                                "validation_error",
                                "query_error",
                                "Unknown table `eventz`.",
                                null));

        assertThatThrownBy(() -> runAsync("SELECT 1 FROM eventz"))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.detail()).isEqualTo("Unknown table `eventz`.");
                            assertThat(e.isRetryable()).isFalse();
                        });
    }

    @Test
    void runAsyncCancelsTheQueryWhenItTimesOut() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/").reply(Reply.json(202, status(false, "null")));
        server.on("DELETE", QUERY_PATH + QUERY_ID + "/")
                .reply(Reply.json(200, "{\"message\":\"Query cancelled\"}"));

        assertThatThrownBy(
                        () ->
                                PostHogClient.await(
                                        client.query()
                                                .runAsync(
                                                        HogQLQuery.hogql("SELECT sleep(100)"),
                                                        null,
                                                        Duration.ofMillis(10),
                                                        Duration.ofMillis(150))))
                .isInstanceOfSatisfying(
                        PostHogException.class, e -> assertThat(e.code()).isEqualTo("timeout"));
        assertThat(server.lastRequest().line()).isEqualTo("DELETE " + QUERY_PATH + QUERY_ID + "/");
    }

    /** Runs a query asynchronously: status polls 5 ms apart, 10 s at most. */
    private QueryResponse runAsync(String hogql) {
        return PostHogClient.await(
                client.query()
                        .runAsync(
                                HogQLQuery.hogql(hogql),
                                null,
                                Duration.ofMillis(5),
                                Duration.ofSeconds(10)));
    }

    private static String failedStatus(String errorMessage) {
        return status(false, "null")
                .replace("\"error\":false", "\"error\":true")
                .replace(
                        "\"error_message\":null",
                        "\"error_message\":"
                                + (errorMessage == null ? "null" : "\"" + errorMessage + "\""));
    }

    @Test
    void aFailedPollSurfacesPostHogsErrorMessageNotTheWholeBody() {
        // PostHog's retrieve: 400 with the query_status of a failed query (complete stays false)
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/")
                .reply(Reply.json(400, failedStatus("Unable to resolve field: nope")));

        assertThatThrownBy(() -> runAsync("SELECT nope FROM events"))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.code()).isEqualTo("query_error");
                            assertThat(e.detail()).isEqualTo("Unable to resolve field: nope");
                            assertThat(e.isRetryable()).isFalse();
                        });
        QueryStatus polled = PostHogClient.await(client.query().status(QUERY_ID));
        assertThat(polled.error()).isTrue();
        assertThat(polled.complete()).isFalse();
        assertThat(polled.errorMessage()).isEqualTo("Unable to resolve field: nope");
    }

    @Test
    void anInternalQueryFailureIsPolledOnceNotRetried() {
        server.on("POST", QUERY_PATH).reply(Reply.json(202, status(false, "null")));
        server.on("GET", QUERY_PATH + QUERY_ID + "/").reply(Reply.json(500, failedStatus(null)));

        assertThatThrownBy(() -> runAsync("SELECT 1"))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(500);
                            assertThat(e.code()).isEqualTo("query_failed");
                            assertThat(e.isRetryable()).isTrue();
                        });
        assertThat(server.requests("GET", QUERY_PATH + QUERY_ID + "/")).hasSize(1);
    }

    @Test
    void aStatus500WithoutAQueryStatusIsStillAServerError() {
        server.on("GET", QUERY_PATH + QUERY_ID + "/")
                .reply(Reply.error(500, "server_error", "error", "A server error occurred.", null));

        assertThatThrownBy(() -> PostHogClient.await(client.query().status(QUERY_ID)))
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(500);
                            assertThat(e.detail()).isEqualTo("A server error occurred.");
                        });
    }

    @Test
    void aBlockingQueryThatTimesOutIsNotSentAgain() {
        server.on("POST", QUERY_PATH).reply(Reply.json(200, RESULT).after(Duration.ofSeconds(2)));
        try (PostHogClient impatient =
                PostHogClient.create(
                        TestClients.config(server)
                                .requestTimeout(Duration.ofMillis(300))
                                .build())) {

            assertThatThrownBy(() -> PostHogClient.await(impatient.query().hogql("SELECT 1")))
                    .isInstanceOfSatisfying(
                            PostHogException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo("query_timeout");
                                assertThat(e.isRetryable()).isFalse();
                                assertThat(e.detail()).contains("runAsync");
                            });
        }
        assertThat(server.requests("POST", QUERY_PATH)).hasSize(1);
    }

    @Test
    void aBlockingQueryIsStillRetriedOnA503() {
        server.on("POST", QUERY_PATH).reply(Reply.status(503), Reply.json(200, RESULT));

        PostHogClient.await(client.query().hogql("SELECT 1"));

        assertThat(server.requests("POST", QUERY_PATH)).hasSize(2);
    }

    @Test
    void optionsChooseACachedModeAndTheQueryId() {
        server.on("POST", QUERY_PATH)
                .reply(
                        Reply.json(
                                200, RESULT.replace("\"is_cached\":false", "\"is_cached\":true")));

        QueryResponse response =
                PostHogClient.await(
                        client.query()
                                .execute(
                                        HogQLQuery.hogql("SELECT 1"),
                                        new QueryOptions("n", QueryRefresh.BLOCKING, "mine")));

        JsonNode body = server.onlyRequest().json();
        assertThat(body.path("refresh").asText()).isEqualTo("blocking");
        assertThat(body.path("client_query_id").asText()).isEqualTo("mine");
        assertThat(response.cached()).isTrue();
        assertThatThrownBy(
                        () ->
                                client.query()
                                        .execute(
                                                HogQLQuery.hogql("SELECT 1"),
                                                QueryOptions.async(null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(QueryRefresh.of("lazy_async")).isEqualTo(QueryRefresh.LAZY_ASYNC);
    }

    @Test
    void logReadsTheQueryLogOfAnId() {
        server.on("GET", QUERY_PATH + QUERY_ID + "/log/")
                .reply(
                        Reply.json(
                                200,
                                "{\"columns\":[\"query_id\",\"query_duration_ms\"],\"types\":"
                                    + "[[\"query_id\",\"String\"],[\"query_duration_ms\",\"Int64\"]],"
                                    + "\"results\":[[\""
                                        + QUERY_ID
                                        + "\",41]],\"hasMore\":false}"));

        QueryResponse log = PostHogClient.await(client.query().log(QUERY_ID));

        assertPrivate(server.onlyRequest(), "GET", QUERY_PATH + QUERY_ID + "/log/");
        assertThat(log.results().get(0)).containsExactly(QUERY_ID, 41);
    }

    @Test
    @SuppressWarnings("deprecation")
    void personsQueriesAreActorsQueriesNow() {
        assertThat(HogQLQuery.actors(null).kind()).isEqualTo("ActorsQuery");
        assertThat(HogQLQuery.persons(List.of("id")).kind()).isEqualTo("ActorsQuery");
    }
}
