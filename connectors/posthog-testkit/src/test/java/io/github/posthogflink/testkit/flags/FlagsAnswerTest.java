package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of the {@code /flags} answer beyond evaluation ({@code rust/feature-flags} {@code
 * FlagsResponse}): remote config, quota limiting, {@code has_experiment}, payloads as stored.
 */
class FlagsAnswerTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private JsonNode flags(String query) {
        TestHttp.Reply reply =
                http.post(
                        "/flags?" + query,
                        "{\"api_key\":\"" + posthog.projectApiKey() + "\",\"distinct_id\":\"u1\"}");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static ObjectNode flagWithPayload(String key, JsonNode payload) {
        ObjectNode body = Json.object().put("key", key);
        ObjectNode filters = body.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("payloads").set("true", payload);
        return body;
    }

    @Test
    void configTrueMergesTheRemoteConfigIntoTheTopLevel() {
        posthog.seed().createFlag("f", 100);

        JsonNode plain = flags("v=2");
        JsonNode withConfig = flags("v=2&config=true");

        assertThat(plain.has("supportedCompression")).isFalse();
        assertThat(withConfig.get("supportedCompression"))
                .extracting(JsonNode::asText)
                .containsExactly("gzip", "gzip-js");
        assertThat(withConfig.get("sessionRecording").asBoolean(true)).isFalse();
        assertThat(withConfig.get("hasFeatureFlags").asBoolean()).isTrue();
        assertThat(withConfig.get("flags").has("f")).isTrue();
        assertThat(withConfig.has("evaluatedAt")).isTrue();
    }

    @Test
    void aQuotaLimitedProjectGetsNoFlagAndQuotaLimited() {
        posthog.seed().createFlag("f", 100);
        posthog.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);

        JsonNode v2 = flags("v=2");
        JsonNode legacy = flags("");

        assertThat(v2.get("flags").isEmpty()).isTrue();
        assertThat(v2.get("quotaLimited"))
                .extracting(JsonNode::asText)
                .containsExactly("feature_flags");
        assertThat(v2.get("errorsWhileComputingFlags").asBoolean()).isFalse();
        assertThat(legacy.get("featureFlags").isEmpty()).isTrue();
        assertThat(legacy.get("quotaLimited").get(0).asText()).isEqualTo("feature_flags");

        posthog.seed().liftQuotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);
        assertThat(flags("v=2").has("quotaLimited")).isFalse();
    }

    @Test
    void hasExperimentSaysWhetherALiveExperimentUsesTheFlag() {
        posthog.seed().createFlag("tested", 100);
        posthog.seed().createFlag("plain", 100);
        posthog.seed()
                .resource(
                        "experiments",
                        Json.object().put("name", "t").put("feature_flag_key", "tested"));

        JsonNode answer = flags("v=2").get("flags");
        JsonNode definitions =
                http.get(
                                "/flags/definitions?token=" + posthog.projectApiKey(),
                                "Authorization",
                                "Bearer " + posthog.personalApiKey())
                        .json()
                        .get("flags");

        assertThat(answer.get("tested").get("metadata").get("has_experiment").asBoolean()).isTrue();
        assertThat(answer.get("plain").get("metadata").get("has_experiment").asBoolean()).isFalse();
        assertThat(definitions.get(0).get("has_experiment").asBoolean()).isTrue();
        assertThat(definitions.get(1).get("has_experiment").asBoolean()).isFalse();
    }

    @Test
    void payloadsAreServedAsStoredStringsOrJsonValues() {
        ObjectNode object = Json.object().put("color", "blue");
        posthog.seed().createFlag(flagWithPayload("api-saved", object));
        posthog.seed().createFlagWithPayloadsAsSent(flagWithPayload("legacy", object));

        JsonNode answer = flags("v=2").get("flags");
        JsonNode legacy = flags("").get("featureFlagPayloads");

        // Today's API stores a JSON-encoded string; older flags hold the JSON value itself.
        assertThat(answer.get("api-saved").get("metadata").get("payload").isTextual()).isTrue();
        assertThat(answer.get("api-saved").get("metadata").get("payload").asText())
                .isEqualTo("{\"color\":\"blue\"}");
        assertThat(answer.get("legacy").get("metadata").get("payload")).isEqualTo(object);
        assertThat(legacy.get("legacy")).isEqualTo(object);
    }

    @Test
    void metadataCarriesNoDescriptionAndFailedOnlyWhenTrue() {
        posthog.seed().createFlag("f", 100);

        JsonNode flag = flags("v=2").get("flags").get("f");

        assertThat(flag.get("metadata").get("description").isNull()).isTrue();
        assertThat(flag.has("failed")).isFalse();
        assertThat(flag.get("metadata").get("payload").isNull()).isTrue();
    }
}
