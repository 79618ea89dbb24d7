package io.github.posthogflink.client.api;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;

/** CRUD of every generic resource group, table-driven: one row per resource. */
class ResourceApisTest {

    /** One resource: how to reach it, where it lives, how PostHog deletes it, an item. */
    record Resource(
            String name,
            Function<PostHogClient, ResourceApi> api,
            String segment,
            boolean softDelete,
            Object id,
            String item) {
        String collection() {
            return "/api/projects/42/" + segment + "/";
        }

        String itemPath() {
            return collection() + id + "/";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Resource> resources() {
        return Stream.of(
                new Resource(
                        "featureFlags",
                        PostHogClient::featureFlags,
                        "feature_flags",
                        true,
                        12,
                        """
                        {"id":12,"name":"Beta","key":"beta-feature","deleted":false,"active":true,
                         "filters":{"groups":[{"properties":[],"rollout_percentage":50}],
                                    "multivariate":null,"payloads":{}},
                         "ensure_experience_continuity":false,"tags":["core"],
                         "created_at":"2026-10-01T08:00:00Z","is_simple_flag":true,
                         "rollout_percentage":50,"evaluation_runtime":"all","version":3}
                        """),
                new Resource(
                        "insights",
                        PostHogClient::insights,
                        "insights",
                        true,
                        3,
                        """
                        {"id":3,"short_id":"aB3dE9fG","name":"Weekly signups","deleted":false,
                         "query":{"kind":"InsightVizNode","source":{"kind":"TrendsQuery",
                           "series":[{"kind":"EventsNode","event":"signed_up"}],
                           "interval":"week"}},
                         "saved":true,"favorited":false,"tags":[]}
                        """),
                new Resource(
                        "dashboards",
                        PostHogClient::dashboards,
                        "dashboards",
                        true,
                        5,
                        """
                        {"id":5,"name":"Company KPIs","description":"","pinned":true,
                         "deleted":false,"creation_mode":"default","tiles":[],"tags":[]}
                        """),
                new Resource(
                        "annotations",
                        PostHogClient::annotations,
                        "annotations",
                        true,
                        8,
                        """
                        {"id":8,"content":"Deployed v2.1","date_marker":"2026-11-20T12:00:00Z",
                         "creation_type":"USR","scope":"project","deleted":false,
                         "dashboard_item":null,"created_at":"2026-11-20T12:01:00Z"}
                        """),
                new Resource(
                        "cohorts",
                        PostHogClient::cohorts,
                        "cohorts",
                        true,
                        7,
                        """
                        {"id":7,"name":"Power users","description":"","is_static":false,
                         "count":120,"is_calculating":false,"deleted":false,
                         "filters":{"properties":{"type":"OR","values":[{"type":"AND",
                           "values":[{"key":"plan","value":"pro","type":"person",
                                      "operator":"exact"}]}]}}}
                        """),
                new Resource(
                        "experiments",
                        PostHogClient::experiments,
                        "experiments",
                        true,
                        4,
                        """
                        {"id":4,"name":"Pricing test","description":"",
                         "feature_flag_key":"pricing-test","start_date":null,"end_date":null,
                         "archived":false,"deleted":false,
                         "parameters":{"feature_flag_variants":[{"key":"control",
                           "rollout_percentage":50},{"key":"test","rollout_percentage":50}]}}
                        """),
                new Resource(
                        "surveys",
                        PostHogClient::surveys,
                        "surveys",
                        false,
                        "0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b",
                        """
                        {"id":"0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b","name":"NPS","type":"popover",
                         "questions":[{"type":"rating","question":"How likely are you to
                           recommend us?","scale":10}],"start_date":null,"archived":false}
                        """
                                .replace("\n", " ")),
                new Resource(
                        "actions",
                        PostHogClient::actions,
                        "actions",
                        true,
                        11,
                        """
                        {"id":11,"name":"Signed up","description":"","deleted":false,
                         "steps":[{"event":"$autocapture","selector":"button#signup",
                                   "url":null,"url_matching":"contains"}],"tags":[]}
                        """),
                new Resource(
                        "sessionRecordings",
                        PostHogClient::sessionRecordings,
                        "session_recordings",
                        false,
                        "0190ab12-7c3e-7a11-9e0f-2b4c6d8e0f13",
                        """
                        {"id":"0190ab12-7c3e-7a11-9e0f-2b4c6d8e0f13","distinct_id":"user-1",
                         "viewed":false,"recording_duration":312,"click_count":14,
                         "start_time":"2026-11-26T10:00:00Z","end_time":"2026-11-26T10:05:12Z"}
                        """));
    }

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void listSendsPagingAndFiltersAndParsesThePage(Resource res) {
        server.on("GET", res.collection())
                .reply(
                        Reply.json(
                                200,
                                "{\"count\":1,\"next\":null,\"previous\":null,\"results\":["
                                        + res.item()
                                        + "]}"));

        Page<JsonNode> page =
                PostHogClient.await(
                        res.api().apply(client).list(ListParams.create().offset(0).search("q")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "GET", res.collection());
        assertThat(r.query())
                .containsEntry("limit", List.of("100"))
                .containsEntry("offset", List.of("0"))
                .containsEntry("search", List.of("q"));
        assertThat(page.count()).isEqualTo(1L);
        assertThat(page.hasNext()).isFalse();
        assertThat(page.results()).hasSize(1);
        assertThat(page.results().get(0).path("id").asText()).isEqualTo(String.valueOf(res.id()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void getReadsOneItem(Resource res) {
        server.on("GET", res.itemPath()).reply(Reply.json(200, res.item()));

        JsonNode item = PostHogClient.await(res.api().apply(client).get(res.id()));

        assertPrivate(server.onlyRequest(), "GET", res.itemPath());
        assertThat(item.path("id").asText()).isEqualTo(String.valueOf(res.id()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void createPostsTheBodyAndReads201(Resource res) {
        server.on("POST", res.collection()).reply(Reply.json(201, res.item()));

        JsonNode created =
                PostHogClient.await(
                        res.api().apply(client).create(Map.of("name", "from test", "n", 1)));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "POST", res.collection());
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.json().path("name").asText()).isEqualTo("from test");
        assertThat(r.json().path("n").asInt()).isEqualTo(1);
        assertThat(created.path("id").asText()).isEqualTo(String.valueOf(res.id()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void updatePatchesTheChanges(Resource res) {
        server.on("PATCH", res.itemPath()).reply(Reply.json(200, res.item()));

        JsonNode updated =
                PostHogClient.await(
                        res.api().apply(client).update(res.id(), Map.of("name", "renamed")));

        RecordedRequest r = server.onlyRequest();
        assertPrivate(r, "PATCH", res.itemPath());
        assertThat(r.json().path("name").asText()).isEqualTo("renamed");
        assertThat(updated.path("id").asText()).isEqualTo(String.valueOf(res.id()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void deleteIsSoftOrHardAsPostHogRequires(Resource res) {
        server.on("PATCH", res.itemPath()).reply(Reply.json(200, res.item()));
        server.on("DELETE", res.itemPath()).reply(Reply.status(204));

        PostHogClient.await(res.api().apply(client).delete(res.id()));

        RecordedRequest r = server.onlyRequest();
        if (res.softDelete()) {
            assertPrivate(r, "PATCH", res.itemPath());
            assertThat(r.json().size()).isEqualTo(1);
            assertThat(r.json().path("deleted").isBoolean()).isTrue();
            assertThat(r.json().path("deleted").asBoolean()).isTrue();
        } else {
            assertPrivate(r, "DELETE", res.itemPath());
            assertThat(r.body()).isEmpty();
        }
    }
}
