package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * posthog-python (7.x, from PyPI) against the testkit: what each call stores and answers. Skipped,
 * with the reason, when no Python with the {@code posthog} package is configured ({@link
 * ExternalSdk#python()}); {@link JvmSdkConformanceTest} always runs.
 */
class PythonSdkConformanceTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private static ExternalSdk python;
    private static String unavailable;

    @BeforeAll
    static void findPython() {
        python = ExternalSdk.python();
        String reason =
                ExternalSdk.unavailableReason(
                        python,
                        "posthog-python",
                        "POSTHOG_PYTHON",
                        "a Python with `pip install posthog`");
        unavailable = reason;
    }

    @BeforeEach
    void reset() {
        // Per test, so that each is reported skipped with the reason.
        Assumptions.assumeTrue(unavailable == null, unavailable);
        posthog.reset();
    }

    private JsonNode run(String scenario) throws Exception {
        return python.run(scenario, posthog, posthog.personalApiKey());
    }

    /** The shared capture checks, and what set() and set_once() stored. */
    private static void assertCaptured(JsonNode answers) {
        Scenarios.assertCaptureScenario(posthog, answers, "posthog-python");
        assertThat(Scenarios.stored(posthog, "order_placed").uuid())
                .hasToString(answers.get("order_uuid").asText());
        // set() and set_once() send $set / $set_once at the top level (v0) or in properties (v1):
        // PostHog stores them in properties either way.
        assertThat(Scenarios.stored(posthog, "$set").properties().get("$set").get("plan").asText())
                .isEqualTo("pro");
        assertThat(
                        Scenarios.stored(posthog, "$set_once")
                                .properties()
                                .get("$set_once")
                                .get("signup")
                                .asText())
                .isEqualTo("monday");
    }

    @Test
    void captureSetSetOnceAliasAndGroupIdentifyOverBatch() throws Exception {
        JsonNode answers = run("capture");

        assertCaptured(answers);
        Scenarios.assertOverBatch(posthog);
    }

    @Test
    void theSameCallsOverCaptureV1() throws Exception {
        JsonNode answers = run("capture_v1");

        assertCaptured(answers);
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
        posthog.seed().createFlag("ordinary", 100);

        JsonNode answers = run("remote_config");

        // posthog-python answers the stored payload, a JSON-encoded string, as PostHog sends it.
        assertThat(answers.get("payload").asText()).isEqualTo("{\"steps\":3}");
        assertThat(answers.get("ordinary").isNull()).isTrue();
        assertThat(posthog.requests())
                .filteredOn(r -> r.path().endsWith("/remote_config"))
                .extracting(RecordedRequest::status)
                .containsExactlyInAnyOrder(200, 404);
    }

    @Test
    void aQuotaLimitedProjectsFlagsAreNone() throws Exception {
        Scenarios.seedFlags(posthog.seed());
        posthog.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);

        JsonNode answers = run("quota_limited_flags");

        assertThat(answers.get("beta").isNull()).isTrue();
    }
}
