package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteFlagsTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private JsonNode flags(String requestFields) {
        TestHttp.Reply reply =
                http.post(
                        "/flags?v=2",
                        "{\"api_key\":\"" + posthog.projectApiKey() + "\"," + requestFields + "}");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private void propertyFlag(String key, String property, String value) {
        posthog.seed()
                .createFlag(
                        Json.object()
                                .put("key", key)
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
                                                                                        "key",
                                                                                        property,
                                                                                        "value",
                                                                                        List.of(
                                                                                                value),
                                                                                        "operator",
                                                                                        "exact",
                                                                                        "type",
                                                                                        "person")),
                                                                        "rollout_percentage",
                                                                        100))))));
    }

    @Test
    void aFullyRolledOutFlagIsEnabledInTheV2Shape() {
        posthog.seed().createFlag("everyone", 100);

        JsonNode body = flags("\"distinct_id\":\"u1\"");

        JsonNode flag = body.get("flags").get("everyone");
        assertThat(flag.get("key").asText()).isEqualTo("everyone");
        assertThat(flag.get("enabled").asBoolean()).isTrue();
        assertThat(flag.has("variant")).isTrue();
        assertThat(flag.get("reason").get("code").asText()).isEqualTo("condition_match");
        assertThat(flag.get("reason").get("condition_index").asInt()).isZero();
        assertThat(flag.get("metadata").get("id").asLong()).isEqualTo(1);
        assertThat(flag.get("metadata").get("version").asInt()).isEqualTo(1);
        assertThat(body.get("errorsWhileComputingFlags").asBoolean()).isFalse();
        assertThat(body.get("requestId").asText()).hasSize(36);
    }

    @Test
    void aChangedFlagIsEvaluatedAfresh() {
        posthog.seed().createFlag("changing", 100);
        assertThat(
                        flags("\"distinct_id\":\"u1\"")
                                .get("flags")
                                .get("changing")
                                .get("enabled")
                                .asBoolean())
                .isTrue();

        http.api(
                "PATCH",
                http.project("feature_flags/1/"),
                "{\"filters\":{\"groups\":[{\"properties\":[],\"rollout_percentage\":0}]}}");

        JsonNode flag = flags("\"distinct_id\":\"u1\"").get("flags").get("changing");
        assertThat(flag.get("enabled").asBoolean()).isFalse();
        assertThat(flag.get("metadata").get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aZeroRolloutFlagIsDisabled() {
        posthog.seed().createFlag("nobody", 0);

        assertThat(
                        flags("\"distinct_id\":\"u1\"")
                                .get("flags")
                                .get("nobody")
                                .get("enabled")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void storedPersonPropertiesAreUsedAndOverridesWin() {
        propertyFlag("pros", "plan", "pro");
        posthog.seed().createPerson("u1", Map.of("plan", "pro"));

        assertThat(
                        flags("\"distinct_id\":\"u1\"")
                                .get("flags")
                                .get("pros")
                                .get("enabled")
                                .asBoolean())
                .isTrue();
        assertThat(
                        flags("\"distinct_id\":\"u1\",\"person_properties\":{\"plan\":\"free\"}")
                                .get("flags")
                                .get("pros")
                                .get("enabled")
                                .asBoolean())
                .isFalse();
        assertThat(
                        flags("\"distinct_id\":\"u2\"")
                                .get("flags")
                                .get("pros")
                                .get("enabled")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void aMultivariateFlagReturnsItsVariantAndPayload() {
        posthog.seed()
                .createFlag(
                        Json.object()
                                .put("key", "pricing")
                                .set(
                                        "filters",
                                        Json.valueToTree(
                                                Map.of(
                                                        "groups",
                                                                List.of(
                                                                        Map.of(
                                                                                "properties",
                                                                                List.of(),
                                                                                "rollout_percentage",
                                                                                100)),
                                                        "multivariate",
                                                                Map.of(
                                                                        "variants",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "key",
                                                                                        "only",
                                                                                        "rollout_percentage",
                                                                                        100))),
                                                        "payloads",
                                                                Map.of(
                                                                        "only",
                                                                        "{\"price\":10}")))));

        JsonNode flag = flags("\"distinct_id\":\"u1\"").get("flags").get("pricing");

        assertThat(flag.get("variant").asText()).isEqualTo("only");
        assertThat(flag.get("metadata").get("payload").asText()).isEqualTo("{\"price\":10}");
    }

    @Test
    void staticCohortMembershipIsKnownToTheServer() {
        long cohortId = posthog.seed().createStaticCohort("vips", "vip-user").get("id").asLong();
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
                                                                                        cohortId)),
                                                                        "rollout_percentage",
                                                                        100))))));

        assertThat(
                        flags("\"distinct_id\":\"vip-user\"")
                                .get("flags")
                                .get("vip")
                                .get("enabled")
                                .asBoolean())
                .isTrue();
        assertThat(
                        flags("\"distinct_id\":\"someone\"")
                                .get("flags")
                                .get("vip")
                                .get("enabled")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void groupFlagsUseStoredGroupPropertiesAndOverridesWin() {
        posthog.seed().identifyGroup("company", "acme", Map.of("plan", "enterprise"));
        posthog.seed()
                .createFlag(
                        Json.object()
                                .put("key", "b2b")
                                .set(
                                        "filters",
                                        Json.valueToTree(
                                                Map.of(
                                                        "aggregation_group_type_index",
                                                        0,
                                                        "groups",
                                                        List.of(
                                                                Map.of(
                                                                        "properties",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "key",
                                                                                        "plan",
                                                                                        "value",
                                                                                        List.of(
                                                                                                "enterprise"),
                                                                                        "operator",
                                                                                        "exact",
                                                                                        "type",
                                                                                        "group",
                                                                                        "group_type_index",
                                                                                        0)),
                                                                        "rollout_percentage",
                                                                        100))))));

        assertThat(b2b("\"groups\":{\"company\":\"acme\"}")).isTrue();
        assertThat(
                        b2b(
                                "\"groups\":{\"company\":\"acme\"},"
                                        + "\"group_properties\":{\"company\":{\"plan\":\"free\"}}"))
                .as("an override replaces the stored property")
                .isFalse();
        assertThat(
                        b2b(
                                "\"groups\":{\"company\":\"globex\"},"
                                    + "\"group_properties\":{\"company\":{\"plan\":\"enterprise\"}}"))
                .as("an override stands in for a group the server does not know")
                .isTrue();
        assertThat(b2b("\"groups\":{\"company\":\"globex\"}")).isFalse();
    }

    private boolean b2b(String groups) {
        return flags("\"distinct_id\":\"u1\"," + groups)
                .get("flags")
                .get("b2b")
                .get("enabled")
                .asBoolean();
    }

    @Test
    void inactiveFlagsAreLeftOutAndKeysCanBeSelected() {
        posthog.seed().createFlag("a", 100);
        posthog.seed().createFlag("b", 100);
        posthog.seed().createFlag("off", 100);
        http.api("PATCH", http.project("feature_flags/3/"), "{\"active\":false}");

        JsonNode flags =
                flags("\"distinct_id\":\"u1\",\"flag_keys_to_evaluate\":[\"b\",\"off\"]")
                        .get("flags");

        assertThat(flags.fieldNames()).toIterable().containsExactly("b");
    }

    @Test
    void withoutV2TheLegacyShapeIsReturned() {
        posthog.seed().createFlag("everyone", 100);

        JsonNode body =
                http.post(
                                "/flags/",
                                "{\"token\":\""
                                        + posthog.projectApiKey()
                                        + "\",\"distinct_id\":\"u1\"}")
                        .json();

        assertThat(body.get("featureFlags").get("everyone").asBoolean()).isTrue();
        assertThat(body.has("featureFlagPayloads")).isTrue();
    }

    @Test
    void acceptsAGzipBody() {
        posthog.seed().createFlag("everyone", 100);
        byte[] body =
                TestHttp.gzip(
                        "{\"api_key\":\"" + posthog.projectApiKey() + "\",\"distinct_id\":\"u1\"}");

        TestHttp.Reply reply = http.postBytes("/flags/?v=2", body, "Content-Encoding", "gzip");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("flags").has("everyone")).isTrue();
    }

    @Test
    void aMissingOrWrongTokenIs401() {
        assertThat(http.post("/flags?v=2", "{\"distinct_id\":\"u1\"}").status()).isEqualTo(401);
        TestHttp.Reply wrong =
                http.post("/flags?v=2", "{\"api_key\":\"phc_wrong\",\"distinct_id\":\"u1\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void aMissingDistinctIdIs400() {
        assertThat(
                        http.post("/flags?v=2", "{\"api_key\":\"" + posthog.projectApiKey() + "\"}")
                                .status())
                .isEqualTo(400);
    }

    @Test
    void invalidJsonIs400() {
        assertThat(http.post("/flags?v=2", "{oops").status()).isEqualTo(400);
    }
}
