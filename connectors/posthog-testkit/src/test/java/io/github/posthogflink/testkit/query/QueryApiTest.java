package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class QueryApiTest {
    /** Holds submitted tasks until the test releases them. */
    static final class HeldExecutor extends AbstractExecutorService {
        private final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable command) {
            held.add(command);
        }

        synchronized void releaseAll() {
            held.forEach(Runnable::run);
            held.clear();
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    static final HeldExecutor EXECUTOR = new HeldExecutor();

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().queryExecutor(EXECUTOR).build();

    private final TestHttp http = new TestHttp(posthog);

    @AfterAll
    static void release() {
        EXECUTOR.releaseAll();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
        http.post(
                "/batch/",
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":["
                        + "{\"event\":\"signed_up\",\"distinct_id\":\"u1\"},{\"event\":\"signed_up\",\"distinct_id\":\"u2\"},"
                        + "{\"event\":\"pageview\",\"distinct_id\":\"u1\"}]}");
    }

    private TestHttp.Reply query(String body) {
        return http.api("POST", http.project("query/"), body);
    }

    @Test
    void aBlockingHogQLQueryAnswersInPostHogsShape() {
        TestHttp.Reply reply =
                query(
                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event, count() AS c"
                                + " FROM events WHERE event = {name} GROUP BY event\","
                                + "\"values\":{\"name\":\"signed_up\"}}}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("columns").get(0).asText()).isEqualTo("event");
        assertThat(body.get("results").get(0).get(1).asInt()).isEqualTo(2);
        assertThat(body.get("types")).hasSize(2);
        assertThat(body.get("hasMore").asBoolean()).isFalse();
        assertThat(body.get("limit").asInt()).isEqualTo(100);
        assertThat(body.get("offset").asInt()).isZero();
        assertThat(body.get("is_cached").asBoolean()).isFalse();
        assertThat(body.get("timings").isArray()).isTrue();
        assertThat(body.hasNonNull("hogql")).isTrue();
    }

    @Test
    void aHogQLErrorIs400WithPostHogsBody() {
        TestHttp.Reply reply =
                query("{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELEKT nonsense\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("type").asText()).isEqualTo("validation_error");
        assertThat(reply.json().get("code").asText()).isEqualTo("hogql_syntax_error");
    }

    @Test
    void anEventsQueryIsMappedOntoHogQL() {
        TestHttp.Reply reply =
                query(
                        "{\"query\":{\"kind\":\"EventsQuery\",\"select\":[\"event\",\"distinct_id\"],"
                            + "\"event\":\"pageview\"}}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("results")).hasSize(1);
    }

    @Test
    void anUnsupportedKindIsAClear400() {
        TestHttp.Reply reply = query("{\"query\":{\"kind\":\"TrendsQuery\",\"series\":[]}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).contains("TrendsQuery");
    }

    @Test
    void aMissingQueryIs400() {
        assertThat(query("{}").status()).isEqualTo(400);
        assertThat(query("{\"query\":{\"kind\":\"HogQLQuery\"}}").status()).isEqualTo(400);
    }

    @Test
    void anAsyncQueryIs202ThenPolled() {
        TestHttp.Reply started =
                query(
                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT 1\"},"
                                + "\"refresh\":\"force_async\",\"client_query_id\":\"my-query\"}");

        assertThat(started.status()).isEqualTo(202);
        JsonNode status = started.json().get("query_status");
        assertThat(status.get("id").asText()).isEqualTo("my-query");
        assertThat(status.get("complete").asBoolean()).isFalse();
        TestHttp.Reply running = http.api("GET", http.project("query/my-query/"), null);
        assertThat(running.status()).isEqualTo(202);
        assertThat(running.json().get("query_status").get("complete").asBoolean()).isFalse();

        EXECUTOR.releaseAll();

        TestHttp.Reply done = http.api("GET", http.project("query/my-query/"), null);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("query_status").get("complete").asBoolean()).isTrue();
        assertThat(
                        done.json()
                                .get("query_status")
                                .get("results")
                                .get("results")
                                .get(0)
                                .get(0)
                                .asInt())
                .isEqualTo(1);
    }

    @Test
    void theLegacyAsyncFlagAlsoRunsAsync() {
        TestHttp.Reply started =
                query(
                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT"
                                + " 1\"},\"async\":true}");

        assertThat(started.status()).isEqualTo(202);
        EXECUTOR.releaseAll();
    }

    @Test
    void anAsyncUserErrorIsA400WithItsMessage() {
        query(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELEKT\"},\"refresh\":\"async\",\"client_query_id\":\"bad\"}");
        EXECUTOR.releaseAll();

        TestHttp.Reply reply = http.api("GET", http.project("query/bad/"), null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("query_status").get("error").asBoolean()).isTrue();
        assertThat(reply.json().get("query_status").get("error_message").asText()).isNotEmpty();
    }

    @Test
    void deleteCancelsAnAsyncQuery() {
        query(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT"
                        + " 1\"},\"refresh\":\"async\",\"client_query_id\":\"q\"}");

        TestHttp.Reply cancelled = http.api("DELETE", http.project("query/q/"), null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("message").asText())
                .isEqualTo("Cancelled query on clickhouse");
        assertThat(http.api("GET", http.project("query/q/"), null).status()).isEqualTo(404);
        EXECUTOR.releaseAll();
    }

    @Test
    void cancellingAFinishedOrUnknownQueryIsStill200() {
        query(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT"
                        + " 1\"},\"refresh\":\"async\",\"client_query_id\":\"done\"}");
        EXECUTOR.releaseAll();
        await().until(() -> http.api("GET", http.project("query/done/"), null).status() == 200);

        TestHttp.Reply finished = http.api("DELETE", http.project("query/done/"), null);
        TestHttp.Reply unknown =
                http.api("DELETE", http.project("query/nope/?dequeue_only=true"), null);

        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.json().get("message").asText()).isEqualTo("Query already complete");
        assertThat(http.api("GET", http.project("query/done/"), null).status()).isEqualTo(200);
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("message").asText())
                .isEqualTo("Only tried to dequeue, not cancelling query on clickhouse");
    }

    @Test
    void anUnknownQueryIdIs404() {
        assertThat(http.api("GET", http.project("query/nope/"), null).status()).isEqualTo(404);
    }

    @Test
    void requiresThePersonalKey() {
        assertThat(http.post(http.project("query/"), "{}").status()).isEqualTo(401);
    }

    @Test
    void asyncQueriesCompleteOnARealExecutorToo() throws Exception {
        try (PostHogTestServer other = PostHogTestServer.builder().build().start()) {
            TestHttp otherHttp = new TestHttp(other);
            otherHttp.api(
                    "POST",
                    otherHttp.project("query/"),
                    "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT"
                            + " 1\"},\"refresh\":\"async\",\"client_query_id\":\"r\"}");

            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    otherHttp
                                                    .api("GET", otherHttp.project("query/r/"), null)
                                                    .status()
                                            != 202);
            assertThat(otherHttp.api("GET", otherHttp.project("query/r/"), null).status())
                    .isEqualTo(200);
        }
    }
}
