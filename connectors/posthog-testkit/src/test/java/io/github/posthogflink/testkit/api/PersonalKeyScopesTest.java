package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal-key scopes as PostHog's {@code APIScopePermission} checks them, and {@code
 * /api/personal_api_keys/@current/}.
 */
class PersonalKeyScopesTest {
    static final String QUERY_ONLY = "phx_testkit_query_only_key";
    static final String PERSON_WRITER = "phx_testkit_person_writer_key";

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.seed().personalApiKey(QUERY_ONLY, "query:read");
        posthog.seed().personalApiKey(PERSON_WRITER, "person:write", "feature_flag:read");
        posthog.seed().createPerson("ann", Map.of("plan", "pro"));
    }

    private TestHttp.Reply as(String key, String method, String path, String body) {
        return http.send(
                method,
                path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Bearer " + key,
                "Content-Type",
                "application/json");
    }

    @Test
    void aQueryOnlyKeyIsRefusedPersonsAsPostHogWordsIt() {
        TestHttp.Reply refused = as(QUERY_ONLY, "GET", http.project("persons/"), null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().toString())
                .isEqualTo(
                        "{\"type\":\"authentication_error\",\"code\":\"permission_denied\","
                                + "\"detail\":\"API key missing required scope 'person:read'\","
                                + "\"attr\":null}");
        assertThat(
                        as(
                                        QUERY_ONLY,
                                        "POST",
                                        http.project("persons/batch_by_distinct_ids/"),
                                        "{\"distinct_ids\":[\"ann\"]}")
                                .status())
                .isEqualTo(403);
        assertThat(
                        as(
                                        QUERY_ONLY,
                                        "POST",
                                        http.project("query/"),
                                        "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"select"
                                                + " 1\"}}")
                                .status())
                .isEqualTo(200);
        assertThat(as(QUERY_ONLY, "GET", "/api/users/@me/", null).status()).isEqualTo(403);
    }

    @Test
    void aWriteScopeAlsoGrantsReadAndActionsNeedTheirOwnScopes() {
        assertThat(as(PERSON_WRITER, "GET", http.project("persons/"), null).status())
                .isEqualTo(200);
        assertThat(
                        as(
                                        PERSON_WRITER,
                                        "POST",
                                        http.project("persons/bulk_delete/"),
                                        "{\"distinct_ids\":[\"nobody\"]}")
                                .status())
                .isEqualTo(202);
        TestHttp.Reply cohorts =
                as(PERSON_WRITER, "GET", http.project("persons/cohorts/?person_id=1"), null);
        assertThat(cohorts.status()).isEqualTo(403);
        assertThat(cohorts.json().get("detail").asText()).contains("'cohort:read'");
        assertThat(as(PERSON_WRITER, "GET", http.project("feature_flags/"), null).status())
                .isEqualTo(200);
        TestHttp.Reply create =
                as(PERSON_WRITER, "POST", http.project("feature_flags/"), "{\"key\":\"k\"}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().get("detail").asText()).contains("'feature_flag:write'");
        assertThat(as(PERSON_WRITER, "GET", http.project("annotations/"), null).status())
                .isEqualTo(403);
    }

    @Test
    void theServersOwnKeyHasEveryScopeByDefaultAndCanBeScopedAtBuildTime() {
        assertThat(http.api("GET", http.project("persons/"), null).status()).isEqualTo(200);
        assertThat(http.api("GET", http.project("annotations/"), null).status()).isEqualTo(200);

        try (PostHogServer scoped =
                PostHogServer.builder().personalApiKeyScopes("query:read").build().start()) {
            TestHttp.Reply reply =
                    new TestHttp(scoped.baseUrl())
                            .get(
                                    "/api/projects/1/persons/",
                                    "Authorization",
                                    "Bearer " + scoped.personalApiKey());
            assertThat(reply.status()).isEqualTo(403);
        }
    }

    @Test
    void aPersonalKeyReadsItselfWhateverItsScopes() {
        TestHttp.Reply current = as(QUERY_ONLY, "GET", "/api/personal_api_keys/@current/", null);

        assertThat(current.status()).isEqualTo(200);
        JsonNode key = current.json();
        assertThat(scopes(key)).containsExactly("query:read");
        assertThat(key.get("mask_value").asText()).isEqualTo("phx_..._key");
        assertThat(key.get("value").isNull()).isTrue();
        assertThat(key.get("scoped_teams")).isEmpty();
        assertThat(key.get("scoped_organizations")).isEmpty();
        assertThat(key.has("last_rolled_at")).isTrue();
        String id = key.get("id").asText();
        assertThat(as(QUERY_ONLY, "GET", "/api/personal_api_keys/" + id + "/", null).status())
                .isEqualTo(200);
        assertThat(scopes(http.api("GET", "/api/personal_api_keys/@current/", null).json()))
                .containsExactly("*");
    }

    @Test
    void aPersonalKeyMayNotListOrChangeKeys() {
        String other =
                as(PERSON_WRITER, "GET", "/api/personal_api_keys/@current/", null)
                        .json()
                        .get("id")
                        .asText();

        TestHttp.Reply list = as(QUERY_ONLY, "GET", "/api/personal_api_keys/", null);
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().get("detail").asText())
                .isEqualTo("This action does not support Personal API Key access");
        assertThat(as(QUERY_ONLY, "GET", "/api/personal_api_keys/" + other + "/", null).status())
                .isEqualTo(403);
        assertThat(as(QUERY_ONLY, "DELETE", "/api/personal_api_keys/@current/", null).status())
                .isEqualTo(403);
        assertThat(as("phx_unknown", "GET", "/api/personal_api_keys/@current/", null).status())
                .isEqualTo(401);
    }

    @Test
    void projectOnlyResourcesAre404UnderEnvironmentsAndEnvironmentResourcesAreServedUnderBoth() {
        for (String resource : ProjectOnlyResources.RESOURCES) {
            TestHttp.Reply reply = http.api("GET", "/api/environments/1/" + resource + "/", null);
            assertThat(reply.status()).as(resource).isEqualTo(404);
            assertThat(reply.json().get("detail").asText()).isEqualTo("Endpoint not found.");
            assertThat(http.api("GET", http.project(resource + "/"), null).status())
                    .as(resource)
                    .isEqualTo(200);
        }
        for (String resource : List.of("persons", "insights", "dashboards", "session_recordings")) {
            assertThat(http.api("GET", "/api/environments/1/" + resource + "/", null).status())
                    .as(resource)
                    .isEqualTo(200);
        }
    }

    @Test
    void annotationsArePagedAThousandAtATimeAsPostHogsPaginatorDoes() {
        for (int i = 0; i < 1003; i++) {
            posthog.seed().resource("annotations", Json.object().put("content", "a" + i));
        }

        JsonNode page = http.api("GET", http.project("annotations/"), null).json();

        assertThat(page.get("results")).hasSize(1000);
        assertThat(page.get("next").asText()).contains("limit=1000").contains("offset=1000");
        assertThat(http.api("GET", http.project("dashboards/"), null).json().get("results"))
                .isEmpty();
    }

    private static List<String> scopes(JsonNode key) {
        List<String> scopes = new java.util.ArrayList<>();
        key.get("scopes").forEach(s -> scopes.add(s.asText()));
        return scopes;
    }
}
