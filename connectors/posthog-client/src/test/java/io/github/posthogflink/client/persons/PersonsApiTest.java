package io.github.posthogflink.client.persons;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonsApiTest {
    private static final String BASE = "/api/projects/42/persons/";
    private static final String UUID1 = "0189d9a2-8f3e-0000-5a1c-7d3a1f2b9e01";
    private static final String PERSON1 =
            """
            {"id":"0189d9a2-8f3e-0000-5a1c-7d3a1f2b9e01","name":"ada@acme.com",
             "distinct_ids":["user-1","anon-7f2c"],
             "properties":{"email":"ada@acme.com","plan":"pro","$initial_browser":"Firefox"},
             "created_at":"2026-03-01T09:00:00.123000Z",
             "uuid":"0189d9a2-8f3e-0000-5a1c-7d3a1f2b9e01",
             "last_seen_at":"2026-11-26T17:45:12Z"}
            """;
    private static final String LIST_PAGE =
            "{\"next\":null,\"previous\":null,\"results\":[" + PERSON1 + "]}";

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

    @Test
    void listSendsFiltersAndParsesPersons() {
        server.on("GET", BASE).reply(Reply.json(200, LIST_PAGE));

        Page<Person> page =
                PostHogClient.await(
                        client.persons()
                                .list(PersonsApi.filters().set("distinct_id", "user-1").offset(0)));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", BASE);
        assertThat(r.query())
                .containsEntry("limit", List.of("100"))
                .containsEntry("distinct_id", List.of("user-1"))
                .containsEntry("offset", List.of("0"));
        assertThat(page.hasNext()).isFalse();
        assertThat(page.count()).isNull();
        Person p = page.results().get(0);
        assertThat(p.uuid()).isEqualTo(UUID1);
        assertThat(p.key()).isEqualTo(UUID1);
        assertThat(p.distinctIds()).containsExactly("user-1", "anon-7f2c");
        assertThat(p.properties()).containsEntry("plan", "pro");
        assertThat(p.createdAt()).isEqualTo("2026-03-01T09:00:00.123000Z");
        assertThat(p.lastSeenAt()).isEqualTo("2026-11-26T17:45:12Z");
    }

    @Test
    void numericIdsAreReadAsText() {
        server.on("GET", BASE + "1234/")
                .reply(
                        Reply.json(
                                200,
                                "{\"id\":1234,\"uuid\":null,\"distinct_ids\":[\"d\"],"
                                        + "\"properties\":{}}"));

        Person p = PostHogClient.await(client.persons().get("1234"));

        assertThat(p.id()).isEqualTo("1234");
        assertThat(p.key()).isEqualTo("1234");
    }

    @Test
    void findByPropertySendsAJsonPropertyFilter() {
        server.on("GET", BASE).reply(Reply.json(200, LIST_PAGE));

        PostHogClient.await(client.persons().findByProperty("plan", "pro"));

        RecordedRequest r = server.onlyRequest();
        JsonNode filter = json(r.queryParam("properties"));
        assertThat(filter).hasSize(1);
        assertThat(filter.get(0).path("key").asText()).isEqualTo("plan");
        assertThat(filter.get(0).path("value").asText()).isEqualTo("pro");
        assertThat(filter.get(0).path("operator").asText()).isEqualTo("exact");
        assertThat(filter.get(0).path("type").asText()).isEqualTo("person");
    }

    @Test
    void findByEmailSendsTheEmailFilter() {
        server.on("GET", BASE).reply(Reply.json(200, LIST_PAGE));

        Page<Person> page = PostHogClient.await(client.persons().findByEmail("ada@acme.com"));

        assertThat(server.onlyRequest().queryParam("email")).isEqualTo("ada@acme.com");
        assertThat(page.results()).hasSize(1);
    }

    @Test
    void getReadsOnePerson() {
        server.on("GET", BASE + UUID1 + "/").reply(Reply.json(200, PERSON1));

        Person p = PostHogClient.await(client.persons().get(UUID1));

        assertPrivate(server.onlyRequest(), "GET", BASE + UUID1 + "/");
        assertThat(p.name()).isEqualTo("ada@acme.com");
    }

    @Test
    void updatePropertiesPatchesAPropertiesObjectAndAccepts202WithoutBody() {
        server.on("PATCH", BASE + UUID1 + "/").reply(Reply.status(202));

        PostHogClient.await(client.persons().updateProperties(UUID1, Map.of("plan", "team")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "PATCH", BASE + UUID1 + "/");
        assertThat(r.json().path("properties").path("plan").asText()).isEqualTo("team");
    }

    @Test
    void deletePropertyPostsUnset() {
        server.on("POST", BASE + UUID1 + "/delete_property/")
                .reply(Reply.json(201, "{\"success\":true}"));

        PostHogClient.await(client.persons().deleteProperty(UUID1, "plan"));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "POST", BASE + UUID1 + "/delete_property/");
        assertThat(r.json().path("$unset").asText()).isEqualTo("plan");
    }

    @Test
    void splitPostsToTheSplitAction() {
        server.on("POST", BASE + UUID1 + "/split/").reply(Reply.json(201, "{\"success\":true}"));

        PostHogClient.await(client.persons().split(UUID1));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "POST", BASE + UUID1 + "/split/");
        assertThat(r.json().isObject()).isTrue();
        assertThat(r.json().size()).as("PostHog's default: keep the first distinct id").isZero();
    }

    @Test
    void splitSendsTheMainDistinctIdOrTheIdsToMoveOff() {
        server.on("POST", BASE + UUID1 + "/split/").reply(Reply.json(201, "{\"success\":true}"));

        PostHogClient.await(client.persons().split(UUID1, PersonSplit.keeping("user-1")));
        PostHogClient.await(
                client.persons().split(UUID1, PersonSplit.movingOff(List.of("anon-7f2c"))));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent.get(0).json().path("main_distinct_id").asText()).isEqualTo("user-1");
        assertThat(sent.get(0).json().has("distinct_ids_to_split")).isFalse();
        assertThat(sent.get(1).json().path("distinct_ids_to_split").get(0).asText())
                .isEqualTo("anon-7f2c");
        assertThat(sent.get(1).json().has("main_distinct_id")).isFalse();
        assertThatThrownBy(() -> PersonSplit.movingOff(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteIsARealDelete() {
        server.on("DELETE", BASE + UUID1 + "/").reply(Reply.status(202));

        PostHogClient.await(client.persons().delete(UUID1));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "DELETE", BASE + UUID1 + "/");
        assertThat(r.body()).isEmpty();
        assertThat(r.query()).doesNotContainKeys("delete_events", "keep_person");
    }

    @Test
    void deleteTakesPostHogsFlagsAsQueryParameters() {
        server.on("DELETE", BASE + UUID1 + "/").reply(Reply.status(202));

        PostHogClient.await(
                client.persons()
                        .delete(UUID1, PersonDeletion.PERSON_ONLY.withEvents().keepingPerson()));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.query())
                .containsEntry("delete_events", List.of("true"))
                .containsEntry("keep_person", List.of("true"))
                .doesNotContainKey("delete_recordings");
    }

    @Test
    void bulkDeleteByIdsAndByDistinctIds() {
        String answer =
                "{\"persons_found\":1,\"persons_deleted\":1,\"events_queued_for_deletion\":false,"
                        + "\"recordings_queued_for_deletion\":false,\"deletion_errors\":[]}";
        server.on("POST", BASE + "bulk_delete/").reply(Reply.json(202, answer));

        BulkDeleteResult byIds =
                PostHogClient.await(client.persons().bulkDeleteByIds(List.of(UUID1)));
        BulkDeleteResult byDistinct =
                PostHogClient.await(
                        client.persons().bulkDeleteByDistinctIds(List.of("user-1", "user-2")));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(2);
        assertPrivate(sent.get(0), "POST", BASE + "bulk_delete/");
        assertThat(sent.get(0).json().path("ids").get(0).asText()).isEqualTo(UUID1);
        assertThat(sent.get(0).json().has("distinct_ids")).isFalse();
        assertThat(sent.get(1).json().path("distinct_ids")).hasSize(2);
        assertThat(sent.get(1).json().has("ids")).isFalse();
        assertThat(byIds.personsDeleted()).isEqualTo(1);
        assertThat(byDistinct.personsFound()).isEqualTo(1);
        assertThat(byDistinct.deletionErrors()).isEmpty();
    }

    @Test
    void bulkDeleteSendsPostHogsOptionsAndReadsWhatWasQueued() {
        String answer =
                "{\"persons_found\":2,\"persons_deleted\":0,\"events_queued_for_deletion\":true,"
                        + "\"recordings_queued_for_deletion\":true,\"deletion_errors\":"
                        + "[{\"person_uuid\":\""
                        + UUID1
                        + "\"}]}";
        server.on("POST", BASE + "bulk_delete/").reply(Reply.json(202, answer));

        BulkDeleteResult result =
                PostHogClient.await(
                        client.persons()
                                .bulkDeleteByDistinctIds(
                                        List.of("user-1", "user-2"),
                                        new PersonDeletion(true, true, true)));

        JsonNode body = server.onlyRequest().json();
        assertThat(body.path("delete_events").asBoolean()).isTrue();
        assertThat(body.path("delete_recordings").asBoolean()).isTrue();
        assertThat(body.path("keep_person").asBoolean()).isTrue();
        assertThat(result.eventsQueuedForDeletion()).isTrue();
        assertThat(result.recordingsQueuedForDeletion()).isTrue();
        assertThat(result.personsDeleted()).isZero();
        assertThat(result.deletionErrors()).containsExactly(Map.of("person_uuid", UUID1));
    }

    @Test
    void bulkDeleteRefusesMoreThanPostHogTakesWithoutCallingIt() {
        List<String> ids =
                IntStream.range(0, PersonsApi.MAX_BULK_DELETE_IDS + 1)
                        .mapToObj(i -> "u" + i)
                        .toList();

        assertThatThrownBy(() -> PostHogClient.await(client.persons().bulkDeleteByDistinctIds(ids)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void batchByDistinctIdsReturnsThePersonsThatExist() {
        server.on("POST", BASE + "batch_by_distinct_ids/")
                .reply(Reply.json(200, "{\"results\":{\"user-1\":" + PERSON1 + "}}"));

        Map<String, Person> found =
                PostHogClient.await(
                        client.persons().batchByDistinctIds(List.of("user-1", "nobody")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "POST", BASE + "batch_by_distinct_ids/");
        assertThat(r.json().path("distinct_ids"))
                .extracting(JsonNode::asText)
                .containsExactly("user-1", "nobody");
        assertThat(found).containsOnlyKeys("user-1");
        assertThat(found.get("user-1").uuid()).isEqualTo(UUID1);
    }

    @Test
    void batchByDistinctIdsAcceptsExactly200() {
        server.on("POST", BASE + "batch_by_distinct_ids/")
                .reply(Reply.json(200, "{\"results\":{}}"));

        Map<String, Person> found =
                PostHogClient.await(client.persons().batchByDistinctIds(ids(200)));

        assertThat(found).isEmpty();
        assertThat(server.onlyRequest().json().path("distinct_ids")).hasSize(200);
    }

    @Test
    void batchByDistinctIdsRefusesMoreThan200IdsWithoutCallingPostHog() {
        assertThatThrownBy(() -> PostHogClient.await(client.persons().batchByDistinctIds(ids(201))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("200")
                .hasMessageContaining("201");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void cohortsOfAPersonReadsTheResultsList() {
        server.on("GET", BASE + "cohorts/")
                .reply(
                        Reply.json(
                                200,
                                "{\"results\":[{\"id\":7,\"name\":\"Power users\",\"count\":120},"
                                        + "{\"id\":9,\"name\":\"Churn risk\",\"count\":4}]}"));

        List<JsonNode> cohorts = PostHogClient.await(client.persons().cohorts(UUID1));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", BASE + "cohorts/");
        assertThat(r.queryParam("person_id")).isEqualTo(UUID1);
        assertThat(cohorts)
                .extracting(c -> c.path("name").asText())
                .containsExactly("Power users", "Churn risk");
    }

    @Test
    void iterateFollowsNextLinks() {
        String next = server.url() + BASE + "?distinct_id=&limit=1&offset=1";
        server.on("GET", BASE)
                .withQuery("offset", "1")
                .reply(
                        Reply.json(
                                200,
                                "{\"next\":null,\"previous\":null,\"results\":[" + PERSON1 + "]}"));
        server.on("GET", BASE)
                .reply(
                        Reply.json(
                                200,
                                "{\"next\":\""
                                        + next
                                        + "\",\"previous\":null,\"results\":["
                                        + PERSON1
                                        + "]}"));

        List<Person> all =
                client.persons().iterate(ListParams.create().limit(1), 10).stream().toList();

        assertThat(all).hasSize(2);
        assertThat(server.requests()).hasSize(2);
        server.requests().forEach(r -> assertPrivate(r, "GET", BASE));
    }

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "user-" + i).toList();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
