package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole-flag behaviour and the {@code /flags?v=2} shape of the results. */
class LocalFlagEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalFlagEvaluator evaluator(String definitionsJson) throws Exception {
        return new LocalFlagEvaluator(FlagDefinitions.parse(JSON.readTree(definitionsJson)));
    }

    static EvaluationContext person(String distinctId, Map<String, Object> properties) {
        return new EvaluationContext(distinctId, Map.of(), properties, Map.of());
    }

    @Test
    void resultCarriesV2ReasonMetadataAndBooleanPayload() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 42, "version": 7, "key": "beta", "active": true,
                          "filters": {
                            "groups": [
                              {"properties": [{"key": "plan", "value": "pro", "type": "person"}]},
                              {"properties": [{"key": "email", "operator": "icontains",
                                               "value": "@example.com", "type": "person"}],
                               "rollout_percentage": 100}],
                            "payloads": {"true": "{\\"color\\": \\"blue\\"}"}}}]}
                        """);
        FlagResult result =
                evaluator.evaluate(
                        "beta", person("u1", Map.of("plan", "free", "email", "a@EXAMPLE.com")));

        assertThat(result.enabled()).isTrue();
        assertThat(result.variant()).isNull();
        assertThat(result.value()).isEqualTo(true);
        assertThat(result.reason())
                .isEqualTo(
                        new FlagResult.FlagReason("condition_match", 1, "Matched condition set 2"));
        assertThat(result.metadata())
                .isEqualTo(new FlagResult.FlagMetadata(42L, 7, null, "{\"color\": \"blue\"}"));
        assertThat(result.payload()).isEqualTo("{\"color\": \"blue\"}");
        assertThat(result.failed()).isFalse();

        JsonNode wire = JSON.valueToTree(result);
        assertThat(wire.get("reason").get("code").asText()).isEqualTo("condition_match");
        assertThat(wire.get("reason").get("condition_index").asInt()).isEqualTo(1);
        assertThat(wire.get("metadata").get("payload").isTextual()).isTrue();
        assertThat(JSON.treeToValue(wire, FlagResult.class)).isEqualTo(result);
    }

    @Test
    void nonMatchingReasonsFollowPosthogsRanking() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "f", "active": true, "filters": {"groups": [
                          {"properties": [{"key": "plan", "value": "pro"}], "rollout_percentage": 0},
                          {"properties": [], "rollout_percentage": 0},
                          {"properties": [{"key": "plan", "value": "enterprise"}]}],
                          "payloads": {"true": "1", "false": "0"}}}]}
                        """);
        FlagResult outOfRollout = evaluator.evaluate("f", person("u", Map.of("plan", "pro")));
        assertThat(outOfRollout.enabled()).isFalse();
        assertThat(outOfRollout.reason())
                .isEqualTo(
                        new FlagResult.FlagReason(
                                "out_of_rollout_bound", 1, "Out of rollout bound"));
        assertThat(outOfRollout.payload()).isNull();

        LocalFlagEvaluator propertiesOnly =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "f", "active": true, "filters": {"groups": [
                          {"properties": [{"key": "plan", "value": "pro"}]},
                          {"properties": [{"key": "plan", "value": "enterprise"}]}]}}]}
                        """);
        FlagResult noMatch = propertiesOnly.evaluate("f", person("u", Map.of("plan", "free")));
        assertThat(noMatch.reason())
                .isEqualTo(
                        new FlagResult.FlagReason(
                                "no_condition_match", 1, "No matching condition set"));
        assertThat(noMatch.metadata().version()).isZero();
    }

    @Test
    void flagWithoutConditionsIsNoConditionMatchWithoutIndex() throws Exception {
        FlagResult result =
                evaluator(
                                "{\"flags\": [{\"id\": 3, \"key\": \"empty\", \"active\": true,"
                                        + " \"filters\": {}}]}")
                        .evaluate("empty", EvaluationContext.of("u"));
        assertThat(result.enabled()).isFalse();
        assertThat(result.reason().code()).isEqualTo("no_condition_match");
        assertThat(result.reason().conditionIndex()).isNull();
    }

    @Test
    void multivariatePayloadIsKeyedByVariantAndOverridesWin() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 5, "key": "mv", "active": true, "filters": {
                          "groups": [
                            {"properties": [{"key": "email", "value": "test@posthog.com"}],
                             "rollout_percentage": 100, "variant": "second-variant"},
                            {"rollout_percentage": 50, "variant": "first-variant"},
                            {"properties": [], "rollout_percentage": 100, "variant": "nope"}],
                          "multivariate": {"variants": [
                            {"key": "first-variant", "rollout_percentage": 50},
                            {"key": "second-variant", "rollout_percentage": 25},
                            {"key": "third-variant", "rollout_percentage": 25}]},
                          "payloads": {"second-variant": {"nested": [1, 2]}, "true": "ignored"}}}]}
                        """);
        FlagResult overridden =
                evaluator.evaluate("mv", person("x", Map.of("email", "test@posthog.com")));
        assertThat(overridden.variant()).isEqualTo("second-variant");
        assertThat(overridden.payload()).isEqualTo("{\"nested\":[1,2]}");

        // An override that is not a variant falls back to the hash-based variant.
        for (int i = 0; i < 50; i++) {
            String id = "user-" + i;
            FlagResult result = evaluator.evaluate("mv", person(id, Map.of()));
            double bucket = FlagHash.hash("mv", id, "");
            if (bucket <= 0.5) {
                assertThat(result.variant()).isEqualTo("first-variant");
                assertThat(result.reason().conditionIndex()).isEqualTo(1);
            } else {
                double variantHash = FlagHash.hash("mv", id, "variant");
                String expected =
                        variantHash < 0.5
                                ? "first-variant"
                                : variantHash < 0.75 ? "second-variant" : "third-variant";
                assertThat(result.variant()).as(id).isEqualTo(expected);
                assertThat(result.reason().conditionIndex()).isEqualTo(2);
            }
        }
    }

    @Test
    void inactiveAndDeletedFlagsAreDecidedDisabled() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [
                          {"id": 1, "key": "off", "active": false, "version": 3,
                           "filters": {"groups": [{"rollout_percentage": 100}], "payloads": {"true": "1"}}},
                          {"id": 2, "key": "gone", "active": true, "deleted": true,
                           "filters": {"groups": [{"rollout_percentage": 100}]}}]}
                        """);
        for (String key : List.of("off", "gone")) {
            FlagResult result = evaluator.evaluate(key, EvaluationContext.of("u"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.payload()).isNull();
            assertThat(result.reason())
                    .isEqualTo(
                            new FlagResult.FlagReason(
                                    "flag_disabled", null, "Feature flag is disabled"));
        }
        assertThat(evaluator.evaluate("off", EvaluationContext.of("u")).metadata().version())
                .isEqualTo(3);
    }

    @Test
    void unknownFlagsContinuityAndDeviceBucketingAreInconclusive() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [
                          {"id": 1, "key": "sticky", "active": true, "ensure_experience_continuity": true,
                           "filters": {"groups": [{"rollout_percentage": 100}]}},
                          {"id": 2, "key": "device", "active": true, "bucketing_identifier": "device_id",
                           "filters": {"groups": [{"rollout_percentage": 100}]}},
                          {"id": 3, "key": "plain", "active": true,
                           "filters": {"groups": [{"rollout_percentage": 100}]}}]}
                        """);
        for (String key : List.of("sticky", "device", "missing")) {
            assertThatThrownBy(() -> evaluator.evaluate(key, EvaluationContext.of("u")))
                    .as(key)
                    .isInstanceOf(InconclusiveMatchException.class);
        }
        LocalEvaluation all = evaluator.evaluateAll(EvaluationContext.of("u"), null);
        assertThat(all.decided()).containsOnlyKeys("plain");
        assertThat(all.undecided()).containsExactly("sticky", "device");
        assertThat(all.complete()).isFalse();

        LocalEvaluation some =
                evaluator.evaluateAll(
                        EvaluationContext.of("u"), List.of("plain", "missing", "plain"));
        assertThat(some.decided()).containsOnlyKeys("plain");
        assertThat(some.undecided()).containsExactly("missing");

        LocalEvaluation one = evaluator.evaluateAll(EvaluationContext.of("u"), List.of("plain"));
        assertThat(one.complete()).isTrue();
    }

    @Test
    void groupFlagsHashTheGroupKeyAndUseGroupProperties() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [
                          {"id": 1, "key": "g", "active": true, "filters": {
                            "aggregation_group_type_index": 0,
                            "groups": [{"properties": [{"key": "name", "value": "Acme", "type": "group",
                                                        "group_type_index": 0}],
                                        "rollout_percentage": 50}]}},
                          {"id": 2, "key": "g-key", "active": true, "filters": {
                            "aggregation_group_type_index": 0,
                            "groups": [{"properties": [{"key": "$group_key", "value": "acme-inc",
                                                        "type": "group"}]}]}},
                          {"id": 3, "key": "unmapped", "active": true, "filters": {
                            "aggregation_group_type_index": 4, "groups": [{"rollout_percentage": 100}]}}],
                         "group_type_mapping": {"0": "company", "1": "project"}}
                        """);
        EvaluationContext noGroups = person("u", Map.of("name", "Acme"));
        FlagResult withoutGroup = evaluator.evaluate("g", noGroups);
        assertThat(withoutGroup.enabled()).isFalse();
        assertThat(withoutGroup.reason())
                .isEqualTo(new FlagResult.FlagReason("no_group_type", null, "No group type"));

        int enabled = 0;
        for (int i = 0; i < 40; i++) {
            String groupKey = "company-" + i;
            EvaluationContext context =
                    new EvaluationContext(
                            "same-user",
                            Map.of("company", groupKey),
                            Map.of(),
                            Map.of("company", Map.of("name", "acme")));
            boolean expected = FlagHash.hash("g", groupKey, "") <= 0.5;
            assertThat(evaluator.evaluate("g", context).enabled()).as(groupKey).isEqualTo(expected);
            enabled += expected ? 1 : 0;
        }
        assertThat(enabled).isBetween(1, 39);

        EvaluationContext acme =
                new EvaluationContext("u", Map.of("company", "acme-inc"), Map.of(), Map.of());
        assertThat(evaluator.evaluate("g-key", acme).enabled()).isTrue();
        assertThatThrownBy(() -> evaluator.evaluate("g", acme))
                .isInstanceOf(InconclusiveMatchException.class);
        assertThatThrownBy(() -> evaluator.evaluate("unmapped", acme))
                .isInstanceOf(InconclusiveMatchException.class);
    }

    @Test
    void mixedTargetingConditionsBucketByTheirOwnGroupKey() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "mixed", "active": true, "filters": {
                          "aggregation_group_type_index": null,
                          "groups": [
                            {"properties": [{"key": "email", "operator": "icontains",
                                             "value": "@vip.com", "type": "person"}]},
                            {"aggregation_group_type_index": 0, "properties": [], "rollout_percentage": 50}]}}],
                         "group_type_mapping": {"0": "company"}}
                        """);
        int differs = 0;
        for (int i = 0; i < 60; i++) {
            String company = "co-" + i;
            EvaluationContext context =
                    new EvaluationContext(
                            "person-" + i,
                            Map.of("company", company),
                            Map.of("email", "x@other.com"),
                            Map.of());
            boolean byGroup = FlagHash.hash("mixed", company, "") <= 0.5;
            boolean byPerson = FlagHash.hash("mixed", "person-" + i, "") <= 0.5;
            differs += byGroup != byPerson ? 1 : 0;
            assertThat(evaluator.evaluate("mixed", context).enabled())
                    .as(company)
                    .isEqualTo(byGroup);
        }
        assertThat(differs).isPositive();
        // Group condition skipped without the group: decided false, not inconclusive.
        assertThat(evaluator.evaluate("mixed", person("p", Map.of("email", "a@b.c"))).enabled())
                .isFalse();
    }

    @Test
    void distinctIdIsAnImplicitPersonPropertyThatCallersMayOverride() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "me", "active": true, "filters": {"groups": [
                          {"properties": [{"key": "distinct_id", "value": "alice", "type": "person"}]}]}}]}
                        """);
        assertThat(evaluator.evaluate("me", EvaluationContext.of("alice")).enabled()).isTrue();
        assertThat(evaluator.evaluate("me", EvaluationContext.of("bob")).enabled()).isFalse();
        assertThat(
                        evaluator
                                .evaluate("me", person("bob", Map.of("distinct_id", "alice")))
                                .enabled())
                .isTrue();
    }

    @Test
    void inconclusiveConditionDoesNotBlockALaterMatchButBlocksAFalse() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "f", "active": true, "filters": {"groups": [
                          {"properties": [{"key": "missing", "value": "x"}]},
                          {"properties": [{"key": "plan", "value": "pro"}]}]}}]}
                        """);
        assertThat(evaluator.evaluate("f", person("u", Map.of("plan", "pro"))).enabled()).isTrue();
        assertThatThrownBy(() -> evaluator.evaluate("f", person("u", Map.of("plan", "free"))))
                .isInstanceOf(InconclusiveMatchException.class);
    }

    @Test
    void circularAndMissingDependenciesAreInconclusive() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [
                          {"id": 1, "key": "a", "active": true, "filters": {"groups": [{"properties": [
                            {"key": "b", "type": "flag", "operator": "flag_evaluates_to", "value": true,
                             "dependency_chain": []}]}]}},
                          {"id": 2, "key": "b", "active": true, "filters": {"groups": [{"properties": [
                            {"key": "a", "type": "flag", "operator": "flag_evaluates_to", "value": true,
                             "dependency_chain": []}]}]}},
                          {"id": 3, "key": "c", "active": true, "filters": {"groups": [{"properties": [
                            {"key": "ghost", "type": "flag", "operator": "flag_evaluates_to", "value": true,
                             "dependency_chain": ["ghost"]}]}]}},
                          {"id": 4, "key": "d", "active": true, "filters": {"groups": [{"properties": [
                            {"key": "e", "type": "flag", "operator": "flag_evaluates_to", "value": false,
                             "dependency_chain": ["e"]}]}]}},
                          {"id": 5, "key": "e", "active": false, "filters": {"groups": [{"rollout_percentage": 100}]}}]}
                        """);
        for (String key : List.of("a", "b", "c")) {
            assertThatThrownBy(() -> evaluator.evaluate(key, EvaluationContext.of("u")))
                    .as(key)
                    .isInstanceOf(InconclusiveMatchException.class);
        }
        assertThat(evaluator.evaluate("d", EvaluationContext.of("u")).enabled()).isTrue();
    }

    @Test
    void sharedEvaluatorGivesTheSameResultsFromManyThreads() throws Exception {
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "key": "mv", "active": true, "filters": {
                          "groups": [{"properties": [{"key": "n", "operator": "regex", "value": "^[0-9]*[02468]$"}],
                                      "rollout_percentage": 70}],
                          "multivariate": {"variants": [{"key": "a", "rollout_percentage": 30},
                                                        {"key": "b", "rollout_percentage": 70}]}}}]}
                        """);
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            expected.put(
                    "id" + i, evaluator.evaluate("mv", person("id" + i, Map.of("n", i))).value());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    int mismatches = 0;
                                    for (int i = 0; i < 2_000; i++) {
                                        Object value =
                                                evaluator
                                                        .evaluate(
                                                                "mv",
                                                                person("id" + i, Map.of("n", i)))
                                                        .value();
                                        mismatches += value.equals(expected.get("id" + i)) ? 0 : 1;
                                    }
                                    return mismatches;
                                }));
            }
            for (Future<Integer> future : futures) {
                assertThat(future.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.values()).contains(false, "a", "b");
    }
}
