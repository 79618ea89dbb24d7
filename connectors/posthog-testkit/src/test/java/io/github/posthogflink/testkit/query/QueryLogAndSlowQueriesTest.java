package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET query/:id/log/}, the async error status, and the slow-query switch. */
class QueryLogAndSlowQueriesTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private TestHttp.Reply post(String body) {
        return http.api("POST", http.project("query/"), body);
    }

    @Test
    void theQueryLogAnswersTheQueriesRunUnderAnId() {
        post(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT 1\"},\"client_query_id\":"
                        + "\"logged-1\",\"name\":\"nightly report\"}");

        TestHttp.Reply log = http.api("GET", http.project("query/logged-1/log/"), null);

        assertThat(log.status()).isEqualTo(200);
        JsonNode body = log.json();
        List<String> columns = new ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.asText()));
        JsonNode row = body.get("results").get(0);
        assertThat(body.get("results")).hasSize(1);
        assertThat(row.get(columns.indexOf("query_id")).asText()).isEqualTo("logged-1");
        assertThat(row.get(columns.indexOf("name")).asText()).isEqualTo("nightly report");
        assertThat(row.get(columns.indexOf("query")).asText()).isEqualTo("SELECT 1");
        assertThat(row.get(columns.indexOf("status")).asText()).isEqualTo("QueryFinish");
        assertThat(row.get(columns.indexOf("result_rows")).asLong()).isEqualTo(1);
        assertThat(row.get(columns.indexOf("is_personal_api_key_request")).asBoolean()).isTrue();
        assertThat(row.get(columns.indexOf("api_key_mask")).asText())
                .doesNotContain(posthog.personalApiKey());
        assertThat(body.has("is_cached")).isFalse();
        assertThat(http.api("GET", http.project("query/unknown/log/"), null).json().get("results"))
                .isEmpty();
    }

    @Test
    void aFailedQueryIsLoggedAsAnException() {
        post(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event, count() FROM"
                        + " events\"},\"client_query_id\":\"broken\"}");

        JsonNode body = http.api("GET", http.project("query/broken/log/"), null).json();

        List<String> columns = new ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.asText()));
        JsonNode row = body.get("results").get(0);
        assertThat(row.get(columns.indexOf("status")).asText())
                .isEqualTo("ExceptionWhileProcessing");
        assertThat(row.get(columns.indexOf("exception_name")).asText())
                .isEqualTo("NOT_AN_AGGREGATE");
    }

    @Test
    void aFailedAsyncQueryIsIncompleteWithAnErrorAndItsMessage() {
        post(
                "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT nope FROM events\"},"
                        + "\"refresh\":\"force_async\",\"client_query_id\":\"bad\"}");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.api("GET", http.project("query/bad/"), null).status() != 202);
        TestHttp.Reply reply = http.api("GET", http.project("query/bad/"), null);

        assertThat(reply.status()).isEqualTo(400);
        JsonNode status = reply.json().get("query_status");
        assertThat(status.get("complete").asBoolean()).isFalse();
        assertThat(status.get("error").asBoolean()).isTrue();
        assertThat(status.get("error_message").asText()).contains("Unable to resolve field: nope");
        assertThat(status.get("end_time").isNull()).isTrue();
    }

    @Test
    void theSlowQuerySwitchDelaysBlockingAnswersAndKeepsAsyncQueriesRunning() {
        posthog.queries().executionTime(Duration.ofMillis(600));

        long start = System.nanoTime();
        TestHttp.Reply blocking =
                post("{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT 1\"}}");
        long blockingMillis = (System.nanoTime() - start) / 1_000_000;
        TestHttp.Reply async =
                post(
                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT 2\"},\"refresh\":"
                                + "\"force_async\",\"client_query_id\":\"slow\"}");
        TestHttp.Reply running = http.api("GET", http.project("query/slow/"), null);

        assertThat(blocking.status()).isEqualTo(200);
        assertThat(blockingMillis).isGreaterThanOrEqualTo(600);
        assertThat(async.status()).isEqualTo(202);
        assertThat(running.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.api("GET", http.project("query/slow/"), null).status() == 200);
    }
}
