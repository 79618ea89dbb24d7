package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.hogql.HogQLRequest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query kinds as PostHog's runners answer them: EventsQuery's defaults, grouping, ordering and
 * types; ActorsQuery's default columns and search; PersonsQuery refused; HogQLQuery's OFFSET rule,
 * error codes and paging fields.
 */
class QueryKindsTest {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().clock(new MutableClock(NOW)).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void seed() {
        posthog.reset();
        StringBuilder batch = new StringBuilder();
        // hours ago: 1, 2, 3 (u1, u1, u2), 30 (u1), 24 * 5 (u3)
        int[][] events = {{1, 1}, {2, 1}, {3, 2}, {30, 1}, {120, 3}};
        for (int[] e : events) {
            if (batch.length() > 0) {
                batch.append(',');
            }
            batch.append("{\"event\":\"")
                    .append(e[0] == 2 ? "signed_up" : "$pageview")
                    .append("\",\"distinct_id\":\"u")
                    .append(e[1])
                    .append("\",\"timestamp\":\"")
                    .append(NOW.minusSeconds(e[0] * 3600L))
                    .append("\",\"properties\":{\"h\":")
                    .append(e[0])
                    .append("}}");
        }
        http.post(
                "/batch/",
                "{\"api_key\":\"" + posthog.projectApiKey() + "\",\"batch\":[" + batch + "]}");
    }

    private TestHttp.Reply query(String node) {
        return http.api("POST", http.project("query/"), "{\"query\":" + node + "}");
    }

    private JsonNode ok(String node) {
        TestHttp.Reply reply = query(node);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> column(JsonNode body, int index) {
        List<String> values = new ArrayList<>();
        body.get("results").forEach(row -> values.add(row.get(index).asText()));
        return values;
    }

    @Test
    void anEventsQueryReadsTheLast24HoursNewestFirstByDefault() {
        JsonNode body =
                ok("{\"kind\":\"EventsQuery\",\"select\":[\"properties.h\",\"timestamp\"]}");

        // only the last 24 hours (1, 2 and 3 hours ago), newest first
        assertThat(column(body, 0)).containsExactly("1.0", "2.0", "3.0");
        assertThat(body.get("types").get(1).asText()).isEqualTo("DateTime64(6, 'UTC')");
        assertThat(body.get("hogql").asText()).contains("ORDER BY timestamp DESC, uuid DESC");
    }

    @Test
    void anEventsQueryTakesRelativeAndAllTimeWindows() {
        assertThat(
                        ok("{\"kind\":\"EventsQuery\",\"select\":[\"count()\"],\"after\":\"-2d\"}")
                                .get("results")
                                .get(0)
                                .get(0)
                                .asLong())
                .isEqualTo(4);
        assertThat(
                        ok("{\"kind\":\"EventsQuery\",\"select\":[\"count()\"],\"after\":\"all\"}")
                                .get("results")
                                .get(0)
                                .get(0)
                                .asLong())
                .isEqualTo(5);
        assertThat(
                        ok("{\"kind\":\"EventsQuery\",\"select\":[\"count()\"],\"after\":\"all\","
                                        + "\"before\":\"-1dStart\"}")
                                .get("results")
                                .get(0)
                                .get(0)
                                .asLong())
                .isEqualTo(1);
    }

    @Test
    void anEventsQueryGroupsByItsPlainColumnsWhenOneAggregates() {
        JsonNode body =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"distinct_id -- Who\","
                                + "\"count()\"],\"after\":\"all\",\"where\":[\"count() > 1\"]}");

        assertThat(body.get("columns").get(0).asText()).isEqualTo("distinct_id -- Who");
        // grouped by distinct_id, HAVING count() > 1, ordered by count() DESC
        assertThat(column(body, 0)).containsExactly("u1");
        assertThat(body.get("results").get(0).get(1).asLong()).isEqualTo(3);
        assertThat(body.get("types").get(1).asText()).isEqualTo("UInt64");
    }

    @Test
    void anEventsQueryWithoutTimestampOrAggregationIsOrderedByItsFirstColumn() {
        JsonNode body =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"distinct_id\",\"event\"],\"after\":\"all\"}");

        assertThat(column(body, 0)).containsExactly("u1", "u1", "u1", "u2", "u3");
    }

    @Test
    void anEventsQueryStarIsOneObjectPerEvent() {
        JsonNode body =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"*\",\"person\"],\"event\":\"signed_up\"}");

        JsonNode event = body.get("results").get(0).get(0);
        assertThat(event.get("event").asText()).isEqualTo("signed_up");
        assertThat(event.get("properties").get("h").asInt()).isEqualTo(2);
        assertThat(event.get("team_id").asLong()).isEqualTo(posthog.projectId());
        assertThat(event.has("elements_chain")).isTrue();
        assertThat(body.get("results").get(0).get(1).get("distinct_id").asText()).isEqualTo("u1");
        assertThat(body.get("types").get(0).asText()).startsWith("Tuple(UUID, String");
    }

    @Test
    void anEventsQueryPagesWithLimitOffsetAndACursor() {
        JsonNode first =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"timestamp\",\"uuid\"],\"after\":"
                                + "\"all\",\"limit\":2}");

        assertThat(first.get("hasMore").asBoolean()).isTrue();
        assertThat(first.get("limit").asInt()).isEqualTo(2);
        String cursor = first.get("nextCursor").asText();
        assertThat(cursor)
                .isEqualTo(
                        first.get("results").get(1).get(0).asText()
                                + "|"
                                + first.get("results").get(1).get(1).asText());
        JsonNode next =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"timestamp\",\"uuid\"],\"after\":"
                                + "\"all\",\"limit\":2,\"before\":\""
                                + cursor
                                + "\"}");
        JsonNode byOffset =
                ok(
                        "{\"kind\":\"EventsQuery\",\"select\":[\"timestamp\",\"uuid\"],\"after\":"
                                + "\"all\",\"limit\":2,\"offset\":2}");
        assertThat(next.get("results")).isEqualTo(byOffset.get("results"));
        assertThat(byOffset.get("offset").asInt()).isEqualTo(2);
    }

    @Test
    void anActorsQueryAnswersPersonObjectsByDefaultAndSearchesIdsToo() {
        posthog.seed().createPerson("u1", Map.of("email", "ann@example.com", "name", "Ann"));
        posthog.seed().createPerson("device-42", Map.of("name", "Bob"));

        JsonNode all = ok("{\"kind\":\"ActorsQuery\"}");
        JsonNode byDistinctId = ok("{\"kind\":\"ActorsQuery\",\"search\":\"ICE-4\"}");
        JsonNode byEmail =
                ok(
                        "{\"kind\":\"ActorsQuery\",\"search\":\"EXAMPLE.COM\",\"select\":[\"properties.name\"]}");

        assertThat(all.get("columns"))
                .extracting(JsonNode::asText)
                .containsExactly("person", "id", "person.$delete");
        JsonNode person = all.get("results").get(0).get(0);
        assertThat(person.get("id").asText()).isEqualTo(all.get("results").get(0).get(1).asText());
        assertThat(person.has("distinct_ids")).isTrue();
        assertThat(person.has("is_identified")).isTrue();
        assertThat(all.get("results").get(0).get(2).asInt()).isEqualTo(1);
        assertThat(all.get("missing_actors_count").asInt()).isZero();
        assertThat(all.get("types").get(2).asText()).isEqualTo("UInt8");
        assertThat(byDistinctId.get("results")).hasSize(1);
        assertThat(byDistinctId.get("results").get(0).get(0).get("properties").get("name").asText())
                .isEqualTo("Bob");
        assertThat(column(byEmail, 0)).containsExactly("Ann");
    }

    @Test
    void thePersonsQueryKindIsGoneAndRefusedAsPostHogsSchemaRefusesIt() {
        TestHttp.Reply reply = query("{\"kind\":\"PersonsQuery\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("type").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().get("code").asText()).isEqualTo("parse_error");
        assertThat(reply.json().get("detail").asText()).contains("Input tag 'PersonsQuery'");
    }

    @Test
    void offsetInAPersonalKeyHogQLQueryIsRefusedWithPostHogsMessage() {
        TestHttp.Reply reply =
                query(
                        "{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event FROM events LIMIT 2"
                                + " OFFSET 2\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("hogql_query_error");
        assertThat(reply.json().get("detail").asText())
                .isEqualTo(HogQLRequest.OFFSET_NOT_ALLOWED_MESSAGE);
    }

    @Test
    void hogqlErrorsCarryPostHogsCodes() {
        assertThat(
                        query("{\"kind\":\"HogQLQuery\",\"query\":\"SELEKT 1\"}")
                                .json()
                                .get("code")
                                .asText())
                .isEqualTo("hogql_syntax_error");
        assertThat(
                        query("{\"kind\":\"HogQLQuery\",\"query\":\"SELECT nope FROM events\"}")
                                .json()
                                .get("code")
                                .asText())
                .isEqualTo("hogql_query_error");
        assertThat(
                        query(
                                        "{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event, count()"
                                                + " FROM events\"}")
                                .json()
                                .get("code")
                                .asText())
                .isEqualTo("not_an_aggregate");
    }

    @Test
    void aHogQLQueryWithLimitHasNoPagingFieldsAndTypesAreNameTypePairs() {
        JsonNode limited =
                ok("{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event FROM events LIMIT 2\"}");
        JsonNode paged = ok("{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event FROM events\"}");

        assertThat(limited.get("hasMore").isNull()).isTrue();
        assertThat(limited.get("limit").isNull()).isTrue();
        assertThat(limited.get("offset").isNull()).isTrue();
        assertThat(paged.get("hasMore").asBoolean()).isFalse();
        assertThat(paged.get("limit").asInt()).isEqualTo(100);
        assertThat(paged.get("types").get(0).get(0).asText()).isEqualTo("event");
        assertThat(paged.get("types").get(0).get(1).asText()).isEqualTo("String");
        assertThat(paged.get("query").asText()).isEqualTo("SELECT event FROM events");
    }
}
