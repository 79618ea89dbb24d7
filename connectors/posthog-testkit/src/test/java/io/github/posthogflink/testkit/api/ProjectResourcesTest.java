package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectResourcesTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "insights",
                "dashboards",
                "annotations",
                "experiments",
                "surveys",
                "actions",
                "cohorts"
            })
    void genericCrudWorksUnderTheirPostHogPrefixes(String kind) {
        TestHttp.Reply created = http.api("POST", http.project(kind + "/"), "{\"name\":\"first\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        if ("surveys".equals(kind)) {
            assertThat(java.util.UUID.fromString(id)).isNotNull();
        } else {
            assertThat(id).isEqualTo("1");
        }
        assertThat(created.json().get("created_by").has("email")).isTrue();
        assertThat(created.json().hasNonNull("created_at")).isTrue();

        // posthog/api/__init__.py: insights and dashboards are environment resources (served
        // under both prefixes); the others exist only under /api/projects/.
        TestHttp.Reply viaEnvironments =
                http.api("GET", "/api/environments/1/" + kind + "/" + id + "/", null);
        if (List.of("insights", "dashboards").contains(kind)) {
            assertThat(viaEnvironments.json().get("name").asText()).isEqualTo("first");
        } else {
            assertThat(viaEnvironments.status()).isEqualTo(404);
            assertThat(viaEnvironments.json().get("detail").asText())
                    .isEqualTo("Endpoint not found.");
        }
        TestHttp.Reply patched =
                http.api("PATCH", http.project(kind + "/" + id + "/"), "{\"name\":\"renamed\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asText()).isEqualTo("renamed");
        assertThat(http.api("GET", http.project(kind + "/"), null).json().get("results"))
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"surveys"})
    void hardDeletableResourcesAreGoneAfterDelete(String kind) {
        String id = createNamed(kind);

        assertThat(http.api("DELETE", http.project(kind + "/" + id + "/"), null).status())
                .isEqualTo(204);
        assertThat(http.api("GET", http.project(kind + "/" + id + "/"), null).status())
                .isEqualTo(404);
        assertThat(count(kind)).isZero();
        assertThat(http.api("DELETE", http.project(kind + "/" + id + "/"), null).status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "insights",
                "dashboards",
                "annotations",
                "experiments",
                "actions",
                "cohorts"
            })
    void forbidDestroyModelsAnswerDeleteWithABare405(String kind) {
        String id = createNamed(kind);

        TestHttp.Reply reply = http.api("DELETE", http.project(kind + "/" + id + "/"), null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.body()).isEmpty();
        assertThat(count(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"experiments", "actions", "cohorts"})
    void patchDeletedHidesFromTheListButRetrieveStillShows(String kind) {
        String id = createNamed(kind);

        TestHttp.Reply patched =
                http.api("PATCH", http.project(kind + "/" + id + "/"), "{\"deleted\":true}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(count(kind)).isZero();
        TestHttp.Reply retrieved = http.api("GET", http.project(kind + "/" + id + "/"), null);
        assertThat(retrieved.status()).isEqualTo(200);
        assertThat(retrieved.json().get("deleted").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"insights", "dashboards"})
    void softDeletedInsightsAndDashboardsAre404UntilRestored(String kind) {
        String id = createNamed(kind);
        String item = http.project(kind + "/" + id + "/");

        assertThat(http.api("PATCH", item, "{\"deleted\":true}").status()).isEqualTo(200);

        assertThat(count(kind)).isZero();
        assertThat(http.api("GET", item, null).status()).isEqualTo(404);
        assertThat(http.api("PATCH", item, "{\"name\":\"x\"}").status()).isEqualTo(404);
        TestHttp.Reply restored = http.api("PATCH", item, "{\"deleted\":false}");
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().get("deleted").asBoolean()).isFalse();
        assertThat(http.api("GET", item, null).status()).isEqualTo(200);
        assertThat(count(kind)).isEqualTo(1);
    }

    @Test
    void softDeletedAnnotationsAre404ToRetrieveButAnyPatchReachesThem() {
        String id = createNamed("annotations");
        String item = http.project("annotations/" + id + "/");

        assertThat(http.api("PATCH", item, "{\"deleted\":true}").status()).isEqualTo(200);

        assertThat(count("annotations")).isZero();
        assertThat(http.api("GET", item, null).status()).isEqualTo(404);
        // PostHog's annotation viewset keeps deleted rows for partial_update, any partial update
        TestHttp.Reply renamed = http.api("PATCH", item, "{\"name\":\"x\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("deleted").asBoolean()).isTrue();
        assertThat(http.api("PATCH", item, "{\"deleted\":false}").status()).isEqualTo(200);
        assertThat(http.api("GET", item, null).status()).isEqualTo(200);
        assertThat(count("annotations")).isEqualTo(1);
    }

    @Test
    void actionsAreListedWhollyWithoutPagination() {
        for (int i = 0; i < 3; i++) {
            http.api("POST", http.project("actions/"), "{\"name\":\"a" + i + "\"}");
        }

        JsonNode list = http.api("GET", http.project("actions/?limit=2"), null).json();

        assertThat(list.get("results")).hasSize(3);
        assertThat(list.has("count")).isFalse();
        assertThat(list.has("next")).isFalse();
    }

    private String createNamed(String kind) {
        return http.api("POST", http.project(kind + "/"), "{\"name\":\"n\"}")
                .json()
                .get("id")
                .asText();
    }

    private int count(String kind) {
        return http.api("GET", http.project(kind + "/"), null).json().get("results").size();
    }

    @Test
    void insightsGetAShortId() {
        JsonNode insight = http.api("POST", http.project("insights/"), "{\"name\":\"i\"}").json();

        assertThat(insight.get("id").isNumber()).isTrue();
        assertThat(insight.get("short_id").asText()).matches("[a-zA-Z0-9]{8}");
    }

    @Test
    void surveysHaveUuidIds() {
        JsonNode survey = http.api("POST", http.project("surveys/"), "{\"name\":\"s\"}").json();

        assertThat(survey.get("id").isTextual()).isTrue();
        assertThat(
                        http.api(
                                        "GET",
                                        http.project("surveys/" + survey.get("id").asText() + "/"),
                                        null)
                                .status())
                .isEqualTo(200);
        assertThat(http.api("GET", http.project("surveys/1/"), null).status()).isEqualTo(404);
    }

    @Test
    void unknownResourceIdIs404WithPostHogsBody() {
        TestHttp.Reply reply = http.api("GET", http.project("insights/42/"), null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void paginationUsesLimitOffsetAndAbsoluteLinks() {
        for (int i = 0; i < 250; i++) {
            posthog.seed().resource("dashboards", Json.object().put("name", "d" + i));
        }

        JsonNode first = http.api("GET", http.project("dashboards/"), null).json();
        assertThat(first.get("count").asInt()).isEqualTo(250);
        assertThat(first.get("results")).hasSize(100);
        assertThat(first.get("previous").isNull()).isTrue();
        JsonNode last =
                http.api("GET", http.project("dashboards/?limit=100&offset=200"), null).json();
        assertThat(last.get("results")).hasSize(50);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("previous").asText())
                .isEqualTo(posthog.baseUrl() + "/api/projects/1/dashboards/?limit=100&offset=100");
    }

    @Test
    void invalidJsonIs400() {
        TestHttp.Reply reply = http.api("POST", http.project("insights/"), "{oops");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("parse_error");
    }

    @Test
    void parseErrorsNeverEchoAKey() {
        TestHttp.Reply reply =
                http.api("POST", http.project("insights/"), "{\"a\": phc_secret123}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain("phc_secret123");
    }

    @Test
    void staticCohortsTakePersonsAndListThem() {
        var person = posthog.seed().createPerson("u1", Map.of());
        long id =
                http.api("POST", http.project("cohorts/"), "{\"name\":\"vips\",\"is_static\":true}")
                        .json()
                        .get("id")
                        .asLong();

        TestHttp.Reply added =
                http.api(
                        "PATCH",
                        http.project("cohorts/" + id + "/add_persons_to_static_cohort/"),
                        "{\"person_ids\":[\"" + person.uuid() + "\"]}");
        JsonNode members =
                http.api("GET", http.project("cohorts/" + id + "/persons/"), null).json();

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("count").asInt()).isEqualTo(1);
        assertThat(members.get("results").get(0).get("uuid").asText())
                .isEqualTo(person.uuid().toString());
    }

    @Test
    void dynamicCohortsMatchTheirFilters() {
        posthog.seed().createPerson("u1", Map.of("plan", "pro"));
        posthog.seed().createPerson("u2", Map.of("plan", "free"));
        long id =
                posthog.seed()
                        .createDynamicCohort(
                                "pros",
                                Json.valueToTree(
                                        Map.of(
                                                "type",
                                                "OR",
                                                "values",
                                                List.of(
                                                        Map.of(
                                                                "key",
                                                                "plan",
                                                                "value",
                                                                "pro",
                                                                "type",
                                                                "person",
                                                                "operator",
                                                                "exact")))))
                        .get("id")
                        .asLong();

        JsonNode members =
                http.api("GET", http.project("cohorts/" + id + "/persons/"), null).json();

        assertThat(members.get("results")).hasSize(1);
        assertThat(members.get("results").get(0).get("distinct_ids").get(0).asText())
                .isEqualTo("u1");
    }

    @Test
    void sessionRecordingsAreSeededThenListedFetchedAndDeleted() {
        posthog.seed().sessionRecording(Json.object().put("id", "s1").put("distinct_id", "u1"));

        JsonNode list = http.api("GET", http.project("session_recordings/"), null).json();
        assertThat(list.get("results").get(0).get("id").asText()).isEqualTo("s1");
        assertThat(list.get("has_next").asBoolean()).isFalse();
        assertThat(
                        http.api("GET", http.project("session_recordings/s1/"), null)
                                .json()
                                .get("distinct_id")
                                .asText())
                .isEqualTo("u1");
        assertThat(http.api("DELETE", http.project("session_recordings/s1/"), null).status())
                .isEqualTo(204);
        assertThat(http.api("GET", http.project("session_recordings/s1/"), null).status())
                .isEqualTo(404);
    }

    @Test
    void eventAndPropertyDefinitionsComeFromStoredData() {
        http.post(
                "/batch/",
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":["
                        + "{\"event\":\"signed_up\",\"distinct_id\":\"u1\",\"properties\":{\"plan\":\"pro\",\"seats\":3,"
                        + "\"$set\":{\"email\":\"a@b.c\"}}},{\"event\":\"pageview\",\"distinct_id\":\"u1\"}]}");

        JsonNode events = http.api("GET", http.project("event_definitions/"), null).json();
        JsonNode properties =
                http.api("GET", http.project("property_definitions/?search=sea"), null).json();
        JsonNode personProperties =
                http.api("GET", http.project("property_definitions/?type=person"), null).json();

        assertThat(events.get("count").asInt()).isEqualTo(2);
        assertThat(events.get("results").get(0).get("name").asText()).isEqualTo("pageview");
        assertThat(properties.get("results").get(0).get("name").asText()).isEqualTo("seats");
        assertThat(properties.get("results").get(0).get("property_type").asText())
                .isEqualTo("Numeric");
        assertThat(personProperties.get("results").get(0).get("name").asText()).isEqualTo("email");
    }

    @Test
    void usersEndpointsServeTheTestUser() {
        JsonNode me = http.api("GET", "/api/users/@me/", null).json();
        String uuid = me.get("uuid").asText();

        assertThat(me.get("email").asText()).isNotEmpty();
        assertThat(http.api("GET", "/api/users/" + uuid + "/", null).status()).isEqualTo(200);
        assertThat(http.api("GET", "/api/users/", null).json().get("results")).hasSize(1);
        assertThat(
                        http.api("GET", "/api/users/00000000-0000-0000-0000-000000000000/", null)
                                .status())
                .isEqualTo(404);
        assertThat(http.get("/api/users/@me/").status()).isEqualTo(401);
    }

    @Test
    void unknownRoutesAre404() {
        assertThat(http.api("GET", "/api/nothing/", null).status()).isEqualTo(404);
    }
}
