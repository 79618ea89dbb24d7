package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagDefinitionsSnapshot;
import io.github.posthogflink.client.flags.FlagResult;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.flags.FlagsResponse;
import io.github.posthogflink.client.flags.local.EvaluationContext;
import io.github.posthogflink.client.flags.local.FlagDefinitions;
import io.github.posthogflink.client.flags.local.LocalEvaluation;
import io.github.posthogflink.client.flags.local.LocalFlagEvaluator;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Feature flags: management through the client, remote and local evaluation agreeing. */
class FlagsE2ETest {
    private static final int IDS = 500;

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static PostHogClient client;

    @BeforeAll
    static void connect() {
        client = E2EClients.client(posthog);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private static String plan(int i) {
        return i % 3 == 0 ? "pro" : "free";
    }

    private static Map<String, Object> rollout(String key, int percentage) {
        return Map.of(
                "key",
                key,
                "name",
                key,
                "active",
                true,
                "filters",
                Map.of(
                        "groups",
                        List.of(
                                Map.of(
                                        "properties",
                                        List.of(),
                                        "rollout_percentage",
                                        percentage))));
    }

    private static Map<String, Object> multivariate() {
        return Map.of(
                "key",
                "checkout",
                "active",
                true,
                "filters",
                Map.of(
                        "groups",
                        List.of(Map.of("properties", List.of(), "rollout_percentage", 80)),
                        "multivariate",
                        Map.of(
                                "variants",
                                List.of(
                                        Map.of("key", "control", "rollout_percentage", 34),
                                        Map.of("key", "blue", "rollout_percentage", 33),
                                        Map.of("key", "green", "rollout_percentage", 33))),
                        "payloads",
                        Map.of(
                                "control", "{\"color\":\"grey\"}",
                                "blue", Map.of("color", "blue"),
                                "green", "\"green\"")));
    }

    private static Map<String, Object> proOnly() {
        return Map.of(
                "key",
                "pro-only",
                "active",
                true,
                "filters",
                Map.of(
                        "groups",
                        List.of(
                                Map.of(
                                        "properties",
                                        List.of(
                                                Map.of(
                                                        "key", "plan",
                                                        "value", List.of("pro"),
                                                        "operator", "exact",
                                                        "type", "person")),
                                        "rollout_percentage",
                                        100)),
                        "payloads",
                        Map.of("true", "{\"tier\":1}")));
    }

    @Test
    void remoteFlagsAgreeWithLocalEvaluationForFiveHundredIds() {
        List<PostHogEvent> identifies = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            identifies.add(
                    PostHogEvent.builder("$identify", "user-" + i)
                            .set(Map.of("plan", plan(i), "email", "user-" + i + "@example.com"))
                            .build());
        }
        await(client.capture().batch(identifies));
        await(client.featureFlags().create(rollout("rollout-50", 50)));
        await(client.featureFlags().create(multivariate()));
        await(client.featureFlags().create(proOnly()));

        FlagDefinitionsSnapshot snapshot = await(client.flags().definitions(null));
        LocalFlagEvaluator local =
                new LocalFlagEvaluator(
                        FlagDefinitions.parse(snapshot.definitions()), posthog.clock());
        List<CompletableFuture<FlagsResponse>> remote = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            remote.add(client.flags().evaluate(FlagsRequest.of("user-" + i)));
        }

        int rolledOut = 0;
        Set<String> variants = new HashSet<>();
        for (int i = 0; i < IDS; i++) {
            String id = "user-" + i;
            FlagsResponse served = await(remote.get(i));
            LocalEvaluation computed =
                    local.evaluateAll(
                            new EvaluationContext(
                                    id,
                                    Map.of(),
                                    Map.of("plan", plan(i), "email", id + "@example.com"),
                                    Map.of()),
                            null);
            assertThat(computed.complete()).as(id).isTrue();
            assertThat(served.flags().keySet())
                    .as(id)
                    .containsExactlyInAnyOrder("rollout-50", "checkout", "pro-only");
            for (FlagResult expected : computed.decided().values()) {
                FlagResult actual = served.flag(expected.key());
                assertThat(actual.enabled())
                        .as(id + " " + expected.key())
                        .isEqualTo(expected.enabled());
                assertThat(actual.variant())
                        .as(id + " " + expected.key())
                        .isEqualTo(expected.variant());
                assertThat(actual.payload())
                        .as(id + " " + expected.key())
                        .isEqualTo(expected.payload());
                assertThat(actual.reason().code())
                        .as(id + " " + expected.key())
                        .isEqualTo(expected.reason().code());
            }
            rolledOut += served.flag("rollout-50").enabled() ? 1 : 0;
            assertThat(served.flag("pro-only").enabled()).as(id).isEqualTo(i % 3 == 0);
            if (served.flag("checkout").variant() != null) {
                variants.add(served.flag("checkout").variant());
            }
        }
        assertThat(rolledOut).isBetween(200, 300);
        assertThat(variants).containsExactlyInAnyOrder("control", "blue", "green");
    }

    @Test
    void definitionsAreNotModifiedUntilAFlagChanges() {
        JsonNode flag = await(client.featureFlags().create(rollout("etag", 30)));

        FlagDefinitionsSnapshot first = await(client.flags().definitions(null));
        FlagDefinitionsSnapshot second = await(client.flags().definitions(first.etag()));
        await(client.featureFlags().update(flag.get("id").asLong(), Map.of("active", false)));
        FlagDefinitionsSnapshot third = await(client.flags().definitions(first.etag()));

        assertThat(first.etag()).isNotBlank();
        assertThat(first.notModified()).isFalse();
        assertThat(first.definitions().get("flags")).hasSize(1);
        assertThat(second.notModified()).isTrue();
        assertThat(second.definitions()).isNull();
        assertThat(third.notModified()).isFalse();
        assertThat(third.etag()).isNotEqualTo(first.etag());
        assertThat(posthog.requests())
                .filteredOn(r -> r.path().startsWith("/flags/definitions"))
                .extracting(RecordedRequest::status)
                .containsExactly(200, 304, 200);
    }

    @Test
    void featureFlagCrudWithSoftDelete() {
        JsonNode created = await(client.featureFlags().create(rollout("beta", 20)));
        long id = created.get("id").asLong();
        await(client.featureFlags().create(rollout("other", 10)));

        JsonNode fetched = await(client.featureFlags().get(id));
        Page<JsonNode> searched =
                await(
                        client.featureFlags()
                                .list("true", "boolean", "bet", null, ListParams.create()));
        JsonNode updated =
                await(client.featureFlags().update(id, Map.of("name", "Beta", "active", false)));
        Page<JsonNode> inactive =
                await(client.featureFlags().list("false", null, null, null, ListParams.create()));
        await(client.featureFlags().delete(id));

        assertThat(fetched.get("key").asText()).isEqualTo("beta");
        assertThat(searched.results())
                .extracting(f -> f.get("key").asText())
                .containsExactly("beta");
        assertThat(updated.get("name").asText()).isEqualTo("Beta");
        assertThat(updated.get("version").asInt()).isGreaterThan(fetched.get("version").asInt());
        assertThat(inactive.results()).extracting(f -> f.get("id").asLong()).containsExactly(id);
        // PostHog answers DELETE with 405: the client soft-deletes with a PATCH.
        assertThat(posthog.requests())
                .filteredOn(r -> r.path().equals("/api/projects/1/feature_flags/" + id + "/"))
                .extracting(RecordedRequest::method, RecordedRequest::status)
                .last()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple("PATCH", 200));
        assertThat(await(client.featureFlags().get(id)).get("deleted").asBoolean()).isTrue();
        Page<JsonNode> remaining = await(client.featureFlags().list(ListParams.create()));
        assertThat(remaining.results())
                .extracting(f -> f.get("key").asText())
                .containsExactly("other");
        FlagsResponse served = await(client.flags().evaluate(FlagsRequest.of("u1")));
        assertThat(served.flags()).containsOnlyKeys("other");
        // The key is free again.
        assertThat(await(client.featureFlags().create(rollout("beta", 5))).get("id").asLong())
                .isNotEqualTo(id);
    }
}
