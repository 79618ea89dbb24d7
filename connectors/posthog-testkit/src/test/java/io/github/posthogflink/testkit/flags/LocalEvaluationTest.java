package io.github.posthogflink.testkit.flags;

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

class LocalEvaluationTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private TestHttp.Reply definitions(String path, String bearer, String... extraHeaders) {
        String[] headers = new String[2 + extraHeaders.length];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + bearer;
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        return http.get(path + "?token=" + posthog.projectApiKey() + "&send_cohorts", headers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/flags/definitions", "/api/feature_flag/local_evaluation/"})
    void servesFlagsGroupTypesAndCohorts(String path) {
        long cohortId =
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
                                                                "key", "plan", "value", "pro",
                                                                "type", "person")))))
                        .get("id")
                        .asLong();
        posthog.seed()
                .createFlag(
                        Json.object()
                                .put("key", "cohort-flag")
                                .set(
                                        "filters",
                                        Json.valueToTree(
                                                Map.of(
                                                        "groups",
                                                        List.of(
                                                                Map.of(
                                                                        "properties",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "key", "id",
                                                                                        "type",
                                                                                        "cohort",
                                                                                        "value",
                                                                                        cohortId)),
                                                                        "rollout_percentage",
                                                                        100))))));
        posthog.seed().createFlag("inactive", 100);
        http.api("PATCH", http.project("feature_flags/2/"), "{\"active\":false}");

        TestHttp.Reply reply = definitions(path, posthog.personalApiKey());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("flags")).hasSize(2);
        JsonNode flag = body.get("flags").get(0);
        assertThat(flag.get("key").asText()).isEqualTo("cohort-flag");
        assertThat(flag.has("filters")).isTrue();
        assertThat(flag.has("ensure_experience_continuity")).isTrue();
        assertThat(body.get("flags").get(1).get("active").asBoolean()).isFalse();
        assertThat(body.get("group_type_mapping").get("0").asText()).isEqualTo("company");
        assertThat(body.get("cohorts").get(String.valueOf(cohortId)).get("type").asText())
                .isEqualTo("OR");
    }

    @Test
    void deletedFlagsAreLeftOut() {
        posthog.seed().createFlag("gone", 100);
        http.api("PATCH", http.project("feature_flags/1/"), "{\"deleted\":true}");

        assertThat(definitions("/flags/definitions", posthog.personalApiKey()).json().get("flags"))
                .isEmpty();
    }

    @Test
    void staticCohortsAreNotSent() {
        long cohortId = posthog.seed().createStaticCohort("vips", "u1").get("id").asLong();
        posthog.seed()
                .createFlag(
                        Json.object()
                                .put("key", "vip")
                                .set(
                                        "filters",
                                        Json.valueToTree(
                                                Map.of(
                                                        "groups",
                                                        List.of(
                                                                Map.of(
                                                                        "properties",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "key", "id",
                                                                                        "type",
                                                                                        "cohort",
                                                                                        "value",
                                                                                        cohortId))))))));

        assertThat(
                        definitions("/flags/definitions", posthog.personalApiKey())
                                .json()
                                .get("cohorts"))
                .isEmpty();
    }

    @Test
    void theSecureFlagsKeyIsAccepted() {
        assertThat(definitions("/flags/definitions", posthog.secureFlagsKey()).status())
                .isEqualTo(200);
    }

    @Test
    void withoutAValidBearerItIs401() {
        assertThat(http.get("/flags/definitions?token=" + posthog.projectApiKey()).status())
                .isEqualTo(401);
        assertThat(definitions("/flags/definitions", posthog.projectApiKey()).status())
                .isEqualTo(401);
        assertThat(definitions("/flags/definitions", "phx_wrong").status()).isEqualTo(401);
    }

    @Test
    void aWrongOrMissingTokenIsRefused() {
        String auth = "Bearer " + posthog.personalApiKey();
        assertThat(http.get("/flags/definitions?token=phc_other", "Authorization", auth).status())
                .isEqualTo(401);
        assertThat(http.get("/flags/definitions", "Authorization", auth).status()).isEqualTo(400);
    }

    @Test
    void etagAndIfNoneMatchGive304UntilAFlagChanges() {
        posthog.seed().createFlag("f", 100);
        TestHttp.Reply first = definitions("/flags/definitions", posthog.personalApiKey());
        String etag = first.header("ETag");

        TestHttp.Reply again =
                definitions("/flags/definitions", posthog.personalApiKey(), "If-None-Match", etag);
        assertThat(etag).isNotBlank();
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        http.api("PATCH", http.project("feature_flags/1/"), "{\"active\":false}");
        TestHttp.Reply changed =
                definitions("/flags/definitions", posthog.personalApiKey(), "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void projectScopedLocalEvaluationAlsoWorks() {
        posthog.seed().createFlag("f", 100);

        assertThat(
                        http.api("GET", http.project("feature_flags/local_evaluation/"), null)
                                .json()
                                .get("flags"))
                .hasSize(1);
    }
}
