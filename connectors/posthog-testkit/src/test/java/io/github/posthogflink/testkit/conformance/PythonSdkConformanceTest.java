package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.persons.GroupSnapshot;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
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

    private static CapturedEvent stored(String event) {
        return posthog.events().stream()
                .filter(e -> e.event().equals(event))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + posthog.events()));
    }

    private void assertCaptured(JsonNode answers) {
        assertThat(answers.get("errors")).isEmpty();
        CapturedEvent order = stored("order_placed");
        assertThat(order.uuid()).hasToString(answers.get("order_uuid").asText());
        assertThat(order.distinctId()).isEqualTo("user-1");
        assertThat(order.properties().get("amount").asInt()).isEqualTo(42);
        assertThat(order.property("$session_id")).isEqualTo("session-7");
        assertThat(order.property("$lib")).isEqualTo("posthog-python");
        assertThat(order.properties().get("$groups").get("company").asText()).isEqualTo("acme");
        // set() and set_once() send $set / $set_once at the top level (v0) or in properties (v1):
        // PostHog stores them in properties either way.
        assertThat(stored("$set").properties().get("$set").get("plan").asText()).isEqualTo("pro");
        assertThat(stored("$set_once").properties().get("$set_once").get("signup").asText())
                .isEqualTo("monday");
        ObjectNode person = posthog.person("user-1").orElseThrow().properties();
        assertThat(person.get("plan").asText()).isEqualTo("pro");
        assertThat(person.get("signup").asText()).isEqualTo("monday");
        assertThat(posthog.person("device-9").orElseThrow().uuid())
                .isEqualTo(posthog.person("user-1").orElseThrow().uuid());
        GroupSnapshot acme =
                posthog.groups().stream()
                        .filter(g -> g.groupKey().equals("acme"))
                        .findFirst()
                        .orElseThrow();
        assertThat(acme.properties().get("tier").asText()).isEqualTo("enterprise");
    }

    @Test
    void captureSetSetOnceAliasAndGroupIdentifyOverBatch() throws Exception {
        JsonNode answers = run("capture");

        assertCaptured(answers);
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .allMatch(p -> p.startsWith("/batch"));
    }

    @Test
    void theSameCallsOverCaptureV1() throws Exception {
        JsonNode answers = run("capture_v1");

        assertCaptured(answers);
        List<RecordedRequest> v1 =
                posthog.requests().stream()
                        .filter(r -> r.path().startsWith("/i/v1/analytics/events"))
                        .toList();
        assertThat(v1).isNotEmpty().allMatch(r -> r.status() == 200);
        assertThat(stored("order_placed").route()).isEqualTo("/i/v1/analytics/events");
    }

    @Test
    void remoteFlagsAnswerVariantsPayloadsAndPersonProperties() throws Exception {
        ConformanceFlags.seed(posthog.seed());

        JsonNode answers = run("remote_flags");

        assertThat(answers.get("pricing").asText()).isEqualTo("test");
        assertThat(answers.get("pricing_payload")).isEqualTo(Json.object().put("price", 10));
        assertThat(answers.get("beta").asBoolean()).isTrue();
        assertThat(answers.get("nobody").asBoolean()).isFalse();
        assertThat(answers.get("acme_only").asBoolean()).isTrue();
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .anyMatch(p -> p.startsWith("/flags"));
    }

    @Test
    void localEvaluationFromTheDefinitionsRevalidatedWithTheirEtag() throws Exception {
        ConformanceFlags.seed(posthog.seed());

        JsonNode answers = run("local_flags");

        assertThat(answers.get("pricing").asText()).isEqualTo("test");
        assertThat(answers.get("pricing_payload")).isEqualTo(Json.object().put("price", 10));
        assertThat(answers.get("beta").asBoolean()).isTrue();
        assertThat(answers.get("beta_after_revalidation").asBoolean()).isTrue();
        List<RecordedRequest> polls =
                posthog.requests().stream()
                        .filter(r -> r.path().startsWith("/flags/definitions"))
                        .toList();
        assertThat(polls).hasSizeGreaterThanOrEqualTo(2);
        assertThat(polls.get(0).status()).isEqualTo(200);
        RecordedRequest last = polls.get(polls.size() - 1);
        assertThat(last.headers()).containsKey("if-none-match");
        assertThat(last.status()).isEqualTo(304);
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .noneMatch(p -> p.equals("/flags") || p.equals("/flags/"));
    }

    @Test
    void remoteConfigPayloadOfARemoteConfigurationFlag() throws Exception {
        ObjectNode config = Json.object().put("key", "checkout-config");
        config.put("is_remote_configuration", true);
        ObjectNode filters = config.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("payloads").put("true", "{\"steps\":3}");
        posthog.seed().createFlag(config);
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
        ConformanceFlags.seed(posthog.seed());
        posthog.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);

        JsonNode answers = run("quota_limited_flags");

        assertThat(answers.get("beta").isNull()).isTrue();
    }
}
