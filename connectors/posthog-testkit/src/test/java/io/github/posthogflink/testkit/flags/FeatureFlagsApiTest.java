package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureFlagsApiTest {
    static final String BOOLEAN_FLAG =
            "{\"key\":\"new-checkout\",\"name\":\"New checkout\",\"tags\":[\"checkout\"],"
                    + "\"filters\":{\"groups\":[{\"properties\":[],\"rollout_percentage\":50}]}}";
    static final String MULTIVARIATE_FLAG =
            "{\"key\":\"pricing\",\"filters\":{\"groups\":[{\"properties\":[],\"rollout_percentage\":100}],"
                + "\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":50},"
                + "{\"key\":\"b\",\"rollout_percentage\":50}]},\"payloads\":{\"a\":{\"price\":10}}}}";

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private TestHttp.Reply create(String body) {
        return http.api("POST", http.project("feature_flags/"), body);
    }

    @Test
    void createReturnsPostHogsFlagModel() {
        TestHttp.Reply reply = create(BOOLEAN_FLAG);

        assertThat(reply.status()).isEqualTo(201);
        JsonNode flag = reply.json();
        assertThat(flag.get("id").asLong()).isPositive();
        assertThat(flag.get("key").asText()).isEqualTo("new-checkout");
        assertThat(flag.get("name").asText()).isEqualTo("New checkout");
        assertThat(flag.get("active").asBoolean()).isTrue();
        assertThat(flag.get("deleted").asBoolean()).isFalse();
        assertThat(flag.get("version").asInt()).isEqualTo(1);
        assertThat(flag.get("ensure_experience_continuity").asBoolean()).isFalse();
        assertThat(flag.get("is_simple_flag").asBoolean()).isTrue();
        assertThat(flag.get("rollout_percentage").asInt()).isEqualTo(50);
        assertThat(flag.get("filters").get("multivariate").isNull()).isTrue();
        assertThat(flag.get("filters").get("payloads").isObject()).isTrue();
        assertThat(flag.get("tags").get(0).asText()).isEqualTo("checkout");
        assertThat(flag.get("created_by").get("email").asText()).isNotEmpty();
    }

    @Test
    void payloadsAreStoredAsJsonStrings() {
        JsonNode flag = create(MULTIVARIATE_FLAG).json();

        assertThat(flag.get("filters").get("payloads").get("a").asText())
                .isEqualTo("{\"price\":10}");
        assertThat(flag.get("is_simple_flag").asBoolean()).isFalse();
    }

    @Test
    void aDuplicateKeyIsRefused() {
        create(BOOLEAN_FLAG);

        TestHttp.Reply reply = create(BOOLEAN_FLAG);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("type").asText()).isEqualTo("validation_error");
        assertThat(reply.json().get("code").asText()).isEqualTo("unique");
        assertThat(reply.json().get("attr").asText()).isEqualTo("key");
    }

    @Test
    void aMissingOrInvalidKeyIsRefused() {
        assertThat(create("{\"name\":\"x\"}").json().get("code").asText()).isEqualTo("required");
        assertThat(create("{\"key\":\"has space\"}").status()).isEqualTo(400);
    }

    @Test
    void variantsMustSumTo100() {
        TestHttp.Reply reply =
                create(
                        "{\"key\":\"v\",\"filters\":{\"groups\":[],\"multivariate\":{\"variants\":["
                            + "{\"key\":\"a\",\"rollout_percentage\":60},{\"key\":\"b\",\"rollout_percentage\":30}]}}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("attr").asText()).isEqualTo("filters");
    }

    @Test
    void patchUpdatesAndBumpsTheVersion() {
        long id = create(BOOLEAN_FLAG).json().get("id").asLong();

        TestHttp.Reply reply =
                http.api("PATCH", http.project("feature_flags/" + id + "/"), "{\"active\":false}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("active").asBoolean()).isFalse();
        assertThat(reply.json().get("version").asInt()).isEqualTo(2);
        assertThat(
                        http.api("GET", http.project("feature_flags/" + id + "/"), null)
                                .json()
                                .get("version")
                                .asInt())
                .isEqualTo(2);
    }

    @Test
    void deleteIsA405WithoutBodyAsForbidDestroyModel() {
        long id = create(BOOLEAN_FLAG).json().get("id").asLong();

        TestHttp.Reply reply = http.api("DELETE", http.project("feature_flags/" + id + "/"), null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.body()).isEmpty();
        assertThat(
                        http.api("GET", http.project("feature_flags/"), null)
                                .json()
                                .get("count")
                                .asInt())
                .isEqualTo(1);
    }

    @Test
    void patchDeletedTrueSoftDeletes() {
        long id = create(BOOLEAN_FLAG).json().get("id").asLong();

        TestHttp.Reply reply =
                http.api("PATCH", http.project("feature_flags/" + id + "/"), "{\"deleted\":true}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("deleted").asBoolean()).isTrue();
        assertThat(
                        http.api("GET", http.project("feature_flags/" + id + "/"), null)
                                .json()
                                .get("deleted")
                                .asBoolean())
                .isTrue();
        assertThat(
                        http.api("GET", http.project("feature_flags/"), null)
                                .json()
                                .get("count")
                                .asInt())
                .isZero();
        assertThat(create(BOOLEAN_FLAG).status()).isEqualTo(201);
    }

    @Test
    void unknownFlagIs404() {
        assertThat(http.api("GET", http.project("feature_flags/999/"), null).status())
                .isEqualTo(404);
        assertThat(http.api("PATCH", http.project("feature_flags/999/"), "{}").status())
                .isEqualTo(404);
    }

    @Test
    void listFiltersByActiveTypeSearchAndTags() {
        create(BOOLEAN_FLAG);
        create(MULTIVARIATE_FLAG);
        create("{\"key\":\"off\",\"active\":false,\"filters\":{\"groups\":[]}}");

        assertThat(keys("feature_flags/")).containsExactly("off", "pricing", "new-checkout");
        assertThat(keys("feature_flags/?active=false")).containsExactly("off");
        assertThat(keys("feature_flags/?type=multivariant")).containsExactly("pricing");
        assertThat(keys("feature_flags/?type=boolean")).containsExactly("off", "new-checkout");
        assertThat(keys("feature_flags/?search=CHECK")).containsExactly("new-checkout");
        assertThat(keys("feature_flags/?tags=%5B%22checkout%22%5D"))
                .containsExactly("new-checkout");
    }

    @Test
    void isNotServedUnderTheEnvironmentsPrefix() {
        // posthog/api/__init__.py registers feature_flags on the projects router only.
        assertThat(http.api("POST", "/api/environments/1/feature_flags/", BOOLEAN_FLAG).status())
                .isEqualTo(404);
        assertThat(http.api("GET", "/api/environments/1/feature_flags/", null).status())
                .isEqualTo(404);
        assertThat(keys("feature_flags/")).isEmpty();
    }

    @Test
    void javaSeedCreatesAFlagVisibleOverHttp() {
        posthog.seed().createFlag("seeded", 100);

        assertThat(keys("feature_flags/")).containsExactly("seeded");
    }

    private List<String> keys(String path) {
        List<String> keys = new ArrayList<>();
        http.api("GET", http.project(path), null)
                .json()
                .get("results")
                .forEach(f -> keys.add(f.get("key").asText()));
        return keys;
    }
}
