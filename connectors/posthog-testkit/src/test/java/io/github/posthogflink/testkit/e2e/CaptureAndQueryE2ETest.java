package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.query.QueryStatus;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Capture, deduplication and the query API, through the real client. */
class CaptureAndQueryE2ETest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder()
                    .queryExecutor(new DelayedExecutor(Duration.ofMillis(150)))
                    .build();

    private static PostHogClient client;

    @BeforeAll
    static void connect() {
        client = E2EClients.client(posthog);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private static PostHogEvent event(String name, String distinctId, int n) {
        return PostHogEvent.builder(name, distinctId)
                .property("n", n)
                .property("plan", n % 2 == 0 ? "pro" : "free")
                .timestamp(Instant.parse("2026-03-01T10:00:00Z").plusSeconds(n))
                .build();
    }

    @Test
    void singleAndGzippedBatchCaptureAreReadBackThroughTheTestkitAndHogQL() {
        await(client.capture().capture(event("signed_up", "u0", 0)));
        List<PostHogEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            batch.add(event("pageview", "u" + (i % 4), i));
        }
        await(client.capture().batch(batch));

        List<RecordedRequest> batches =
                posthog.requests().stream().filter(r -> r.path().equals("/batch/")).toList();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).header("content-encoding")).isEqualTo("gzip");
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .containsExactly("/i/v0/e/", "/batch/");
        assertThat(posthog.dedupedEvents()).hasSize(21);
        assertThat(posthog.dedupedEvents())
                .extracting(CapturedEvent::uuid)
                .doesNotContainNull()
                .doesNotHaveDuplicates();

        QueryResponse counts =
                await(
                        client.query()
                                .hogql(
                                        "SELECT event, count() AS c FROM events"
                                                + " GROUP BY event ORDER BY event"));
        assertThat(counts.columns()).containsExactly("event", "c");
        assertThat(counts.results())
                .containsExactly(List.of("pageview", 20), List.of("signed_up", 1));

        QueryResponse pro =
                await(
                        client.query()
                                .query(
                                        HogQLQuery.hogql(
                                                        "SELECT properties.n FROM events WHERE"
                                                                + " properties.plan = {plan}"
                                                                + " ORDER BY timestamp LIMIT 3")
                                                .value("plan", "pro"),
                                        "e2e"));
        // properties.n is Numeric by its property definition: Float64, as in PostHog.
        assertThat(pro.results())
                .extracting(row -> ((Number) row.get(0)).intValue())
                .containsExactly(0, 2, 4);
    }

    @Test
    void aBatchRetriedAfterA503IsStoredOnce() {
        FaultRule fault =
                posthog.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .times(1));
        List<PostHogEvent> batch = List.of(event("a", "u1", 1), event("b", "u2", 2));

        await(client.capture().batch(batch));

        assertThat(fault.firedCount()).isEqualTo(1);
        assertThat(posthog.requests())
                .extracting(RecordedRequest::status)
                .containsExactly(503, 200);
        assertThat(posthog.events()).hasSize(2);
        assertThat(posthog.dedupedEvents()).hasSize(2);
    }

    @Test
    void aBatchRetriedAfterATimeoutIsStoredTwiceButDedupedToOne() {
        // The first copy is processed after the client gave up on it: the uuids the client set
        // before the first attempt make the two copies collapse, as in ClickHouse.
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                .delay(Duration.ofMillis(1500))
                                .times(1));
        List<PostHogEvent> batch = List.of(event("a", "u1", 1), event("b", "u2", 2));
        try (PostHogClient impatient =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .requestTimeout(Duration.ofMillis(500))
                                .retryPolicy(
                                        RetryPolicy.DEFAULT.withBackoff(
                                                Duration.ofMillis(10), Duration.ofMillis(50)))
                                .build())) {
            await(impatient.capture().batch(batch));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.events().size() == 4);
        assertThat(posthog.dedupedEvents()).hasSize(2);
        QueryResponse total = await(client.query().hogql("SELECT count() FROM events"));
        assertThat(total.results()).containsExactly(List.of(2));
    }

    @Test
    void eventAndPropertyDefinitionsAreListedAfterCapture() {
        await(
                client.capture()
                        .batch(
                                List.of(
                                        event("signed_up", "u1", 1),
                                        PostHogEvent.builder("$identify", "u1")
                                                .set(Map.of("email", "u1@example.com"))
                                                .build())));

        Page<JsonNode> events = await(client.definitions().events(ListParams.create()));
        Page<JsonNode> properties =
                await(client.definitions().properties(ListParams.create().search("pla")));

        assertThat(events.results())
                .extracting(e -> e.get("name").asText())
                .contains("signed_up", "$identify");
        assertThat(properties.results()).extracting(p -> p.get("name").asText()).contains("plan");
    }

    @Test
    void asyncQueriesArePolledToTheirRows() {
        await(client.capture().batch(List.of(event("a", "u1", 1), event("a", "u2", 2))));

        QueryResponse rows =
                await(
                        client.query()
                                .runAsync(
                                        HogQLQuery.hogql(
                                                "SELECT distinct_id FROM events ORDER BY"
                                                        + " distinct_id"),
                                        "async-e2e",
                                        Duration.ofMillis(20),
                                        Duration.ofSeconds(20)));

        assertThat(rows.results()).containsExactly(List.of("u1"), List.of("u2"));
        List<RecordedRequest> calls =
                posthog.requests().stream()
                        .filter(r -> r.path().startsWith("/api/projects/1/query/"))
                        .toList();
        assertThat(calls.get(0).method()).isEqualTo("POST");
        assertThat(calls.get(0).status()).isEqualTo(202);
        assertThat(calls.get(0).bodyText()).contains("\"refresh\":\"force_async\"");
        assertThat(calls.subList(1, calls.size()))
                .extracting(RecordedRequest::method)
                .containsOnly("GET");
        assertThat(calls.get(calls.size() - 1).status()).isEqualTo(200);
        assertThat(calls).extracting(RecordedRequest::status).contains(202, 200);
    }

    @Test
    void anAsyncQueryCanBeCancelled() {
        String id = UUID.randomUUID().toString();
        QueryStatus started = await(client.query().start(HogQLQuery.hogql("SELECT 1"), null, id));

        await(client.query().cancel(started.id()));

        assertThat(started.id()).isEqualTo(id);
        RecordedRequest cancel =
                posthog.requests().stream()
                        .filter(r -> r.method().equals("DELETE"))
                        .findFirst()
                        .orElseThrow();
        assertThat(cancel.path()).isEqualTo("/api/projects/1/query/" + id + "/");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(started.complete()).isFalse();
        E2EClients.failure(client.query().status(id), 404);
    }

    @Test
    void aHogQLSyntaxErrorSurfacesWithPostHogsCodeAndDetail() {
        PostHogException error =
                E2EClients.failure(client.query().hogql("SELEC event FROM events"), 400);

        JsonNode served =
                new TestHttp(posthog)
                        .api(
                                "POST",
                                "/api/projects/1/query/",
                                "{\"query\":{\"kind\":\"HogQLQuery\","
                                        + "\"query\":\"SELEC event FROM events\"}}")
                        .json();

        assertThat(error.code()).isEqualTo("hogql_syntax_error");
        assertThat(error.type()).isEqualTo("validation_error");
        assertThat(error.detail()).isNotBlank().isEqualTo(served.get("detail").asText());
        assertThat(error.isRetryable()).isFalse();
        assertThat(posthog.requests()).hasSize(2);
    }
}
