package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.hogql.EventRow;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Captured events and persons reach HogQL, before and after the engine's lazy start. */
class QueryIntegrationTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private void capture(String events) {
        assertThat(
                        http.post(
                                        "/batch/",
                                        "{\"api_key\":\""
                                                + posthog.projectApiKey()
                                                + "\",\"batch\":["
                                                + events
                                                + "]}")
                                .status())
                .isEqualTo(200);
    }

    /** A fresh answer: the default {@code blocking} mode could answer from the cache. */
    private JsonNode hogql(String query) {
        TestHttp.Reply reply =
                http.api(
                        "POST",
                        http.project("query/"),
                        "{\"refresh\":\"force_blocking\",\"query\":{\"kind\":\"HogQLQuery\",\"query\":\""
                                + query
                                + "\"}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("results");
    }

    @Test
    void eventsCapturedBeforeAndAfterTheFirstQueryAreQueryable() {
        capture("{\"event\":\"a\",\"distinct_id\":\"u1\"}");
        assertThat(hogql("SELECT count() FROM events").get(0).get(0).asInt()).isEqualTo(1);

        capture("{\"event\":\"b\",\"distinct_id\":\"u1\"}");

        assertThat(hogql("SELECT count() FROM events").get(0).get(0).asInt()).isEqualTo(2);
    }

    @Test
    void resentEventsAreCountedOnceAndTheLastCopyWins() {
        UUID uuid = UUID.randomUUID();
        String copy =
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"uuid\":\""
                        + uuid
                        + "\",\"timestamp\":\"2026-01-01T10:00:00Z\",\"properties\":{\"n\":\"%s\"}}";
        capture(String.format(copy, "first"));
        hogql("SELECT 1");
        capture(String.format(copy, "second"));

        JsonNode rows = hogql("SELECT properties.n FROM events");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get(0).asText()).isEqualTo("second");
        assertThat(posthog.events()).hasSize(2);
    }

    @Test
    void personsAndTheirChangesAreQueryable() {
        posthog.seed().createPerson("u1", Map.of("plan", "free"));
        capture("{\"event\":\"pageview\",\"distinct_id\":\"u1\"}");
        assertThat(hogql("SELECT person.properties.plan FROM events").get(0).get(0).asText())
                .isEqualTo("free");

        posthog.seed().createPerson("u1", Map.of("plan", "pro"));
        assertThat(hogql("SELECT properties.plan FROM persons").get(0).get(0).asText())
                .isEqualTo("pro");

        String uuid = posthog.person("u1").orElseThrow().uuid().toString();
        assertThat(http.api("DELETE", http.project("persons/" + uuid + "/"), null).status())
                .isEqualTo(202);
        assertThat(hogql("SELECT count() FROM persons").get(0).get(0).asInt()).isZero();
    }

    @Test
    void mergedPersonsShowOnePerson() {
        capture("{\"event\":\"pageview\",\"distinct_id\":\"anon\"}");
        hogql("SELECT 1");
        capture(
                "{\"event\":\"$identify\",\"distinct_id\":\"user\",\"properties\":{\"$anon_distinct_id\":\"anon\"}}");

        JsonNode rows = hogql("SELECT count(DISTINCT person_id) FROM events");

        assertThat(rows.get(0).get(0).asInt()).isEqualTo(1);
        assertThat(hogql("SELECT count() FROM persons").get(0).get(0).asInt()).isEqualTo(1);
    }

    @Test
    void anActorsQuerySearchIsMappedOntoHogQL() {
        posthog.seed().createPerson("u1", Map.of("email", "one@example.com"));
        posthog.seed().createPerson("u2", Map.of("email", "two@example.org"));

        TestHttp.Reply reply =
                http.api(
                        "POST",
                        http.project("query/"),
                        "{\"query\":{\"kind\":\"ActorsQuery\",\"search\":\"example.org\"}}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("results")).hasSize(1);
        assertThat(reply.json().get("columns").get(0).asText()).isEqualTo("person");
    }

    @Test
    void anEventsQueryWithWhereAndLimit() {
        capture(
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"properties\":{\"n\":1}},"
                        + "{\"event\":\"a\",\"distinct_id\":\"u2\",\"properties\":{\"n\":2}},"
                        + "{\"event\":\"a\",\"distinct_id\":\"u3\",\"properties\":{\"n\":3}}");

        TestHttp.Reply reply =
                http.api(
                        "POST",
                        http.project("query/"),
                        "{\"query\":{\"kind\":\"EventsQuery\",\"select\":[\"distinct_id\"],\"where\":[\"properties.n"
                            + " >= 2\"],\"orderBy\":[\"distinct_id\"],\"limit\":1}}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("results")).hasSize(1);
        assertThat(reply.json().get("results").get(0).get(0).asText()).isEqualTo("u2");
        assertThat(reply.json().get("hasMore").asBoolean()).isTrue();
    }

    @Test
    void eventsReachHogQLAsIngestionWritesThem() {
        capture(
                "{\"event\":\"$autocapture\",\"distinct_id\":\"u1\",\"properties\":{"
                        + "\"$groups\":{\"company\":\"acme\",\"team\":\"core\"},"
                        + "\"$session_id\":\"s1\",\"$elements\":[{\"tag_name\":\"button\","
                        + "\"attr__class\":\"cta big\",\"$el_text\":\"Buy\",\"nth_child\":2}]}},"
                        + "{\"event\":\"quiet\",\"distinct_id\":\"u2\",\"properties\":{"
                        + "\"$process_person_profile\":false,\"$groups\":{\"company\":\"x\"},"
                        + "\"$group_0\":\"sent\"}}");

        JsonNode rows =
                hogql(
                        "SELECT $group_0, $group_1, $session_id, elements_chain,"
                                + " properties.$elements, person_mode FROM events ORDER BY event");

        assertThat(rows.get(0).get(0).asText()).isEqualTo("acme");
        assertThat(rows.get(0).get(1).asText()).isEqualTo("core");
        assertThat(rows.get(0).get(2).asText()).isEqualTo("s1");
        assertThat(rows.get(0).get(3).asText())
                .isEqualTo(
                        "button.big.cta:attr__class=\"cta big\"nth-child=\"2\"nth-of-type=\"0\""
                                + "text=\"Buy\"");
        assertThat(rows.get(0).get(4).isNull()).isTrue();
        // personless: no group columns, not even one it sent
        assertThat(rows.get(1).get(0).asText()).isEmpty();
        assertThat(rows.get(1).get(5).asText()).isEqualTo("propertyless");
    }

    @Test
    void queryOnlyEventsAreQueriedWithCapturedOnesButNeverCapturedAndGoOnReset() {
        capture("{\"event\":\"captured\",\"distinct_id\":\"u1\"}");
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        posthog.seed()
                .queryOnlyEvents(
                        List.of(
                                new EventRow(
                                        new UUID(0, 1), "bulk", "u2", "{\"plan\":\"pro\"}", at),
                                new EventRow(new UUID(0, 2), "bulk", "u3", "{}", at)));

        assertThat(hogql("SELECT event, count() FROM events GROUP BY event ORDER BY event"))
                .hasToString("[[\"bulk\",2],[\"captured\",1]]");
        assertThat(hogql("SELECT distinct_id FROM events WHERE properties.plan = 'pro'"))
                .hasToString("[[\"u2\"]]");
        assertThat(posthog.events()).hasSize(1);

        posthog.reset();

        assertThat(hogql("SELECT count() FROM events").get(0).get(0).asInt()).isZero();
    }
}
