package io.github.posthogflink.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture must cost the same whether or not the HogQL engine has started: the demo job runs a HogQL
 * join first, and its sink then waited seconds per batch while every event's person change was
 * written to DuckDB one transaction at a time, under the engine's lock.
 */
class CaptureWithQueryEngineTest {
    private static final int BATCHES = 4;
    private static final int EVENTS_PER_BATCH = 1000;

    @Test
    void captureIsNotSlowedByTheStartedQueryEngineAndQueriesStillSeeEveryPerson() {
        try (PostHogTestServer withoutQueries = PostHogTestServer.builder().build().start();
                PostHogTestServer withQueries = PostHogTestServer.builder().build().start()) {
            TestHttp plain = new TestHttp(withoutQueries);
            TestHttp querying = new TestHttp(withQueries);
            assertThat(count(querying, "SELECT count() FROM persons")).isZero();
            // Warm both paths up (JIT, connections) before measuring.
            captureBatches(plain, withoutQueries, "warm");
            captureBatches(querying, withQueries, "warm");

            long baseline = captureBatches(plain, withoutQueries, "run");
            long withEngine = captureBatches(querying, withQueries, "run");

            assertThat(withEngine)
                    .as(
                            "capture with the engine started took %d ms, without %d ms",
                            withEngine / 1_000_000, baseline / 1_000_000)
                    .isLessThan(4 * baseline + 200_000_000L);
            int persons = 2 * BATCHES * EVENTS_PER_BATCH;
            assertThat(count(querying, "SELECT count() FROM persons")).isEqualTo(persons);
            assertThat(count(querying, "SELECT count() FROM persons WHERE properties.plan = 'pro'"))
                    .isEqualTo(persons);
            assertThat(
                            count(
                                    querying,
                                    "SELECT count() FROM events WHERE person.properties.plan ="
                                            + " 'pro'"))
                    .isEqualTo(persons);
        }
    }

    /** Sends the batches, each event from a new person with a {@code $set}; returns nanoseconds. */
    private static long captureBatches(TestHttp http, PostHogTestServer server, String prefix) {
        long start = System.nanoTime();
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder body =
                    new StringBuilder(
                            "{\"api_key\":\"" + server.projectApiKey() + "\",\"batch\":[");
            for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"event\":\"e\",\"distinct_id\":\"")
                        .append(prefix)
                        .append('-')
                        .append(b)
                        .append('-')
                        .append(i)
                        .append("\",\"properties\":{\"$set\":{\"plan\":\"pro\"}}}");
            }
            body.append("]}");
            assertThat(http.post("/batch/", body.toString()).status()).isEqualTo(200);
        }
        return System.nanoTime() - start;
    }

    /** Counts with a fresh query: the first count, before capture, would else answer from cache. */
    private static int count(TestHttp http, String hogql) {
        TestHttp.Reply reply =
                http.api(
                        "POST",
                        http.project("query/"),
                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\""
                                + hogql
                                + "\"},\"refresh\":\"force_blocking\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        return results.get(0).get(0).asInt();
    }
}
