package io.github.posthogflink.client.api;

import io.github.posthogflink.client.PostHogClient;
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

import java.util.List;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;

/** Feature flag list filters, users and definitions. */
class PrivateApisTest {
    private static final String USER =
            """
            {"uuid":"0187c2a1-1111-0000-aaaa-bbbbccccdddd","first_name":"Ada","last_name":"L",
             "email":"ada@acme.com","is_staff":false,"date_joined":"2025-01-02T03:04:05Z",
             "team":{"id":42,"name":"Default project"},
             "organization":{"id":"0187c2a1-2222-0000-aaaa-bbbbccccdddd","name":"Acme"}}
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

    @Test
    void featureFlagListSendsPostHogsFiltersWithTagsAsAJsonList() throws Exception {
        server.on("GET", "/api/projects/42/feature_flags/")
                .reply(
                        Reply.json(
                                200,
                                "{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}"));

        Page<JsonNode> page =
                PostHogClient.await(
                        client.featureFlags()
                                .list(
                                        "true",
                                        "multivariant",
                                        "beta",
                                        List.of("core", "growth"),
                                        ListParams.create().limit(25)));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", "/api/projects/42/feature_flags/");
        assertThat(r.query())
                .containsEntry("limit", List.of("25"))
                .containsEntry("active", List.of("true"))
                .containsEntry("type", List.of("multivariant"))
                .containsEntry("search", List.of("beta"));
        assertThat(new ObjectMapper().readTree(r.queryParam("tags")))
                .extracting(JsonNode::asText)
                .containsExactly("core", "growth");
        assertThat(page.results()).isEmpty();
    }

    @Test
    void featureFlagListLeavesOutUnsetFilters() {
        server.on("GET", "/api/projects/42/feature_flags/")
                .reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));

        PostHogClient.await(
                client.featureFlags().list(null, null, null, List.of(), ListParams.create()));

        assertThat(server.onlyRequest().query()).containsOnlyKeys("limit");
    }

    @Test
    void featureFlagFiltersDoNotChangeTheCallersParams() {
        server.on("GET", "/api/projects/42/feature_flags/")
                .reply(Reply.json(200, "{\"next\":null,\"results\":[]}"));
        ListParams paging = ListParams.create().limit(10);

        PostHogClient.await(
                client.featureFlags().list("true", "boolean", "beta", List.of("core"), paging));
        PostHogClient.await(client.featureFlags().list(paging));

        assertThat(paging.asMap()).containsOnlyKeys("limit");
        assertThat(server.lastRequest().query()).containsOnlyKeys("limit");
    }

    @Test
    void usersListGetAndMeLiveAtTheRoot() {
        server.on("GET", "/api/users/")
                .reply(
                        Reply.json(
                                200,
                                "{\"next\":null,\"previous\":null,\"results\":[" + USER + "]}"));
        server.on("GET", "/api/users/@me/").reply(Reply.json(200, USER));
        server.on("GET", "/api/users/0187c2a1-1111-0000-aaaa-bbbbccccdddd/")
                .reply(Reply.json(200, USER));

        Page<JsonNode> list =
                PostHogClient.await(
                        client.users().list(ListParams.create().set("email", "ada@acme.com")));
        JsonNode me = PostHogClient.await(client.users().me());
        JsonNode byUuid =
                PostHogClient.await(client.users().get("0187c2a1-1111-0000-aaaa-bbbbccccdddd"));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(3);
        assertPrivate(sent.get(0), "GET", "/api/users/");
        assertThat(sent.get(0).queryParam("email")).isEqualTo("ada@acme.com");
        assertPrivate(sent.get(1), "GET", "/api/users/@me/");
        assertPrivate(sent.get(2), "GET", "/api/users/0187c2a1-1111-0000-aaaa-bbbbccccdddd/");
        assertThat(list.results().get(0).path("email").asText()).isEqualTo("ada@acme.com");
        assertThat(me.path("team").path("id").asInt()).isEqualTo(42);
        assertThat(byUuid.path("first_name").asText()).isEqualTo("Ada");
    }

    @Test
    void eventDefinitionsAreAPagedProjectList() {
        server.on("GET", "/api/projects/42/event_definitions/")
                .reply(
                        Reply.json(
                                200,
                                """
                                {"count":2,"next":null,"previous":null,"results":[
                                  {"id":"0189a000-0000-0000-0000-000000000001","name":"$pageview",
                                   "volume_30_day":null,"query_usage_30_day":null,
                                   "created_at":"2025-01-01T00:00:00Z",
                                   "last_seen_at":"2026-11-27T10:00:00Z","tags":[]},
                                  {"id":"0189a000-0000-0000-0000-000000000002","name":"signed_up",
                                   "created_at":"2025-02-01T00:00:00Z",
                                   "last_seen_at":"2026-11-27T09:00:00Z","tags":[]}]}
                                """));

        Page<JsonNode> page =
                PostHogClient.await(
                        client.definitions()
                                .events(
                                        ListParams.create()
                                                .search("sign")
                                                .set("event_type", "event")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", "/api/projects/42/event_definitions/");
        assertThat(r.query())
                .containsEntry("search", List.of("sign"))
                .containsEntry("event_type", List.of("event"))
                .containsEntry("limit", List.of("100"));
        assertThat(page.count()).isEqualTo(2L);
        assertThat(page.results())
                .extracting(n -> n.path("name").asText())
                .containsExactly("$pageview", "signed_up");
    }

    @Test
    void propertyDefinitionsAreAPagedProjectList() {
        server.on("GET", "/api/projects/42/property_definitions/")
                .reply(
                        Reply.json(
                                200,
                                """
                                {"count":1,"next":null,"previous":null,"results":[
                                  {"id":"0189b000-0000-0000-0000-000000000001","name":"plan",
                                   "is_numerical":false,"property_type":"String","type":1,
                                   "tags":[]}]}
                                """));

        Page<JsonNode> page =
                PostHogClient.await(
                        client.definitions().properties(ListParams.create().set("type", "person")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", "/api/projects/42/property_definitions/");
        assertThat(r.queryParam("type")).isEqualTo("person");
        assertThat(page.results().get(0).path("property_type").asText()).isEqualTo("String");
    }

    @Test
    void currentPersonalKeyTellsItsScopesAsPostHogChecksThem() {
        server.on("GET", "/api/personal_api_keys/@current/")
                .reply(
                        Reply.json(
                                200,
                                """
                                {"id":"8g4K2rQ","label":"flink job","value":null,
                                 "mask_value":"phx_...e456","created_at":"2025-01-02T03:04:05Z",
                                 "last_used_at":null,"user_id":7,
                                 "scopes":["query:read","person:write"],
                                 "scoped_teams":[42],"scoped_organizations":[],
                                 "last_rolled_at":null}
                                """));

        PersonalApiKey key = PostHogClient.await(client.personalApiKeys().current());

        assertPrivate(server.onlyRequest(), "GET", "/api/personal_api_keys/@current/");
        assertThat(key.id()).isEqualTo("8g4K2rQ");
        assertThat(key.maskValue()).isEqualTo("phx_...e456");
        assertThat(key.allows("query:read")).isTrue();
        assertThat(key.allows("person:read")).as("write covers read").isTrue();
        assertThat(key.allows("feature_flag:read")).isFalse();
        assertThat(key.missing(List.of("query:read", "feature_flag:read", "person:write")))
                .containsExactly("feature_flag:read");
        assertThat(key.allowsProject(42)).isTrue();
        assertThat(key.allowsProject(43)).isFalse();
    }

    @Test
    void aKeyWithEveryScopeAllowsAnything() {
        server.on("GET", "/api/personal_api_keys/@current/")
                .reply(Reply.json(200, "{\"id\":\"k\",\"scopes\":[\"*\"]}"));

        PersonalApiKey key = PostHogClient.await(client.personalApiKeys().current());

        assertThat(key.allows("person:read")).isTrue();
        assertThat(key.scopedTeams()).isEmpty();
        assertThat(key.allowsProject(1)).isTrue();
    }
}
