package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestkitSeeds;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every SDK is asked to do and what the server must then hold, shared by the conformance
 * tests. The flags: {@code pricing} (multivariate, every id gets {@code test}, payload {@code
 * {"price":10}}), {@code beta} (everyone), {@code nobody} (no one), {@code acme-only} (persons
 * whose email contains {@code @acme.com}) and the remote-configuration flag {@code checkout-config}
 * (payload {@code {"steps":3}}).
 */
final class Scenarios {
    private Scenarios() {}

    static void seedFlags(TestkitSeeds seeds) {
        ObjectNode pricing = Json.object().put("key", "pricing");
        ObjectNode filters = pricing.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("multivariate")
                .putArray("variants")
                .add(Json.object().put("key", "control").put("rollout_percentage", 0))
                .add(Json.object().put("key", "test").put("rollout_percentage", 100));
        filters.putObject("payloads").put("test", "{\"price\":10}");
        seeds.createFlag(pricing);
        seeds.createFlag("beta", 100);
        seeds.createFlag("nobody", 0);
        ObjectNode acmeOnly = Json.object().put("key", "acme-only");
        ObjectNode group = acmeOnly.putObject("filters").putArray("groups").addObject();
        group.putArray("properties")
                .addObject()
                .put("key", "email")
                .put("operator", "icontains")
                .put("value", "@acme.com")
                .put("type", "person");
        group.put("rollout_percentage", 100);
        seeds.createFlag(acmeOnly);
    }

    static void seedRemoteConfigFlag(TestkitSeeds seeds) {
        ObjectNode config = Json.object().put("key", "checkout-config");
        config.put("is_remote_configuration", true);
        ObjectNode filters = config.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("payloads").put("true", "{\"steps\":3}");
        seeds.createFlag(config);
    }

    static CapturedEvent stored(PostHogTestServer server, String event) {
        return server.events().stream()
                .filter(e -> e.event().equals(event))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + server.events()));
    }

    /**
     * After the capture scenario: {@code order_placed} for {@code user-1} with its properties,
     * session and group; the person's {@code plan} (set) and {@code signup} (set once); {@code
     * device-9} aliased to {@code user-1}; the group {@code acme} identified.
     */
    static void assertCaptureScenario(PostHogTestServer server, JsonNode answers, String lib) {
        assertThat(answers.get("errors")).isEmpty();
        CapturedEvent order = stored(server, "order_placed");
        assertThat(order.distinctId()).isEqualTo("user-1");
        assertThat(order.properties().get("amount").asInt()).isEqualTo(42);
        assertThat(order.property("$session_id")).isEqualTo("session-7");
        assertThat(order.property("$lib")).isEqualTo(lib);
        assertThat(order.properties().get("$groups").get("company").asText()).isEqualTo("acme");
        ObjectNode person = server.person("user-1").orElseThrow().properties();
        assertThat(person.get("plan").asText()).isEqualTo("pro");
        assertThat(person.get("signup").asText()).isEqualTo("monday");
        assertThat(server.person("device-9").orElseThrow().uuid())
                .isEqualTo(server.person("user-1").orElseThrow().uuid());
        assertThat(server.groups())
                .anySatisfy(
                        g -> {
                            assertThat(g.groupKey()).isEqualTo("acme");
                            assertThat(g.properties().get("tier").asText()).isEqualTo("enterprise");
                        });
    }

    /** Every capture request went to {@code /batch/}. */
    static void assertOverBatch(PostHogTestServer server) {
        assertThat(server.requests())
                .extracting(RecordedRequest::path)
                .allMatch(p -> p.startsWith("/batch"));
    }

    /** Capture went to v1, every request answered 200, and the events are stored as v1 ones. */
    static void assertOverCaptureV1(PostHogTestServer server) {
        List<RecordedRequest> v1 =
                server.requests().stream()
                        .filter(r -> r.path().startsWith("/i/v1/analytics/events"))
                        .toList();
        assertThat(v1).isNotEmpty().allMatch(r -> r.status() == 200);
        assertThat(stored(server, "order_placed").route()).isEqualTo("/i/v1/analytics/events");
    }

    /** The remote flags scenario's answers, as {@code /flags} decided them. */
    static void assertRemoteFlags(PostHogTestServer server, JsonNode answers) {
        assertThat(answers.get("pricing").asText()).isEqualTo("test");
        assertThat(answers.get("pricing_payload")).isEqualTo(Json.object().put("price", 10));
        assertThat(answers.get("beta").asBoolean()).isTrue();
        assertThat(answers.get("nobody").asBoolean()).isFalse();
        assertThat(answers.get("acme_only").asBoolean()).isTrue();
        assertThat(server.requests())
                .extracting(RecordedRequest::path)
                .anyMatch(p -> p.startsWith("/flags"));
    }

    /**
     * The local evaluation scenario: answers from the definitions alone, a second poll revalidated
     * with the first one's ETag (304), and no {@code /flags} call.
     */
    static void assertLocalEvaluation(PostHogTestServer server, JsonNode answers) {
        assertThat(answers.get("pricing").asText()).isEqualTo("test");
        assertThat(answers.get("pricing_payload")).isEqualTo(Json.object().put("price", 10));
        assertThat(answers.get("beta").asBoolean()).isTrue();
        assertThat(answers.get("beta_after_revalidation").asBoolean()).isTrue();
        List<RecordedRequest> polls =
                server.requests().stream()
                        .filter(r -> r.path().startsWith("/flags/definitions"))
                        .toList();
        assertThat(polls).hasSizeGreaterThanOrEqualTo(2);
        assertThat(polls.get(0).status()).isEqualTo(200);
        RecordedRequest last = polls.get(polls.size() - 1);
        assertThat(last.headers()).containsKey("if-none-match");
        assertThat(last.status()).isEqualTo(304);
        assertThat(server.requests())
                .extracting(RecordedRequest::path)
                .noneMatch(p -> p.equals("/flags") || p.equals("/flags/"));
    }
}
