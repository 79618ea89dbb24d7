package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

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

    private static CapturedEvent stored(String event) {
        return posthog.events().stream()
                .filter(e -> e.event().equals(event))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + posthog.events()));
    }

    private static void assertCaptured(JsonNode answers) {
        assertThat(answers.get("errors")).isEmpty();
        CapturedEvent order = stored("order_placed");
        assertThat(order.distinctId()).isEqualTo("user-1");
        assertThat(order.properties().get("amount").asInt()).isEqualTo(42);
        assertThat(order.property("$session_id")).isEqualTo("session-7");
        assertThat(order.property("$lib")).isEqualTo("posthog-node");
        assertThat(order.properties().get("$groups").get("company").asText()).isEqualTo("acme");
        ObjectNode person = posthog.person("user-1").orElseThrow().properties();
        assertThat(person.get("plan").asText()).isEqualTo("pro");
        assertThat(person.get("signup").asText()).isEqualTo("monday");
        assertThat(posthog.person("device-9").orElseThrow().uuid())
                .isEqualTo(posthog.person("user-1").orElseThrow().uuid());
        assertThat(posthog.groups())
                .anySatisfy(
                        g -> {
                            assertThat(g.groupKey()).isEqualTo("acme");
                            assertThat(g.properties().get("tier").asText()).isEqualTo("enterprise");
                        });
    }

    @Test
    void captureIdentifyAliasAndGroupIdentifyOverBatch() throws Exception {
        assertCaptured(run("capture"));
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .allMatch(p -> p.startsWith("/batch"));
    }

    @Test
    void theSameCallsOverCaptureV1() throws Exception {
        assertCaptured(run("capture_v1"));
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

        JsonNode answers = run("remote_config");

        // posthog-node decodes the JSON string PostHog answers.
        assertThat(answers.get("payload")).isEqualTo(Json.object().put("steps", 3));
    }
}
