package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * posthog-node (5.x, from npm) against the testkit. Skipped, with the reason, when no {@code
 * node_modules} with posthog-node is configured ({@link ExternalSdk#node()}).
 */
class NodeSdkConformanceTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private static ExternalSdk node;
    private static String unavailable;

    @BeforeAll
    static void findNode() {
        node = ExternalSdk.node();
        String reason =
                ExternalSdk.unavailableReason(
                        node,
                        "posthog-node",
                        "POSTHOG_NODE_MODULES",
                        "a node_modules folder with `npm install posthog-node`");
        unavailable = reason;
    }

    @BeforeEach
    void reset() {
        // Per test, so that each is reported skipped with the reason.
        Assumptions.assumeTrue(unavailable == null, unavailable);
        posthog.reset();
    }

    private JsonNode run(String scenario) throws Exception {
        return node.run(scenario, posthog, posthog.personalApiKey());
    }

    @Test
    void captureIdentifyAliasAndGroupIdentifyOverBatch() throws Exception {
        Scenarios.assertCaptureScenario(posthog, run("capture"), "posthog-node");
        Scenarios.assertOverBatch(posthog);
    }

    @Test
    void theSameCallsOverCaptureV1() throws Exception {
        Scenarios.assertCaptureScenario(posthog, run("capture_v1"), "posthog-node");
        Scenarios.assertOverCaptureV1(posthog);
    }

    @Test
    void remoteFlagsAnswerVariantsPayloadsAndPersonProperties() throws Exception {
        Scenarios.seedFlags(posthog.seed());

        Scenarios.assertRemoteFlags(posthog, run("remote_flags"));
    }

    @Test
    void localEvaluationFromTheDefinitionsRevalidatedWithTheirEtag() throws Exception {
        Scenarios.seedFlags(posthog.seed());

        Scenarios.assertLocalEvaluation(posthog, run("local_flags"));
    }

    @Test
    void remoteConfigPayloadOfARemoteConfigurationFlag() throws Exception {
        Scenarios.seedRemoteConfigFlag(posthog.seed());

        JsonNode answers = run("remote_config");

        // posthog-node decodes the JSON string PostHog answers.
        assertThat(answers.get("payload")).isEqualTo(Json.object().put("steps", 3));
    }
}
