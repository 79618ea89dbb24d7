package io.github.posthogflink.client.flags.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * posthog-python's {@code TestCohortMatching} (through whole flags, since cohorts are reached
 * through a flag condition) and operators its {@code match_property} vectors do not cover.
 */
class CohortAndOperatorEdgeCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalFlagEvaluator cohortFlag(String operator, String cohorts) throws Exception {
        String op = operator == null ? "null" : "\"" + operator + "\"";
        return LocalFlagEvaluatorTest.evaluator(
                """
                {"flags": [{"id": 1, "key": "c", "active": true, "filters": {"groups": [
                   {"properties": [{"key": "id", "value": 1, "type": "cohort", "operator": %s}]}]}}],
                 "cohorts": %s}
                """
                        .formatted(op, cohorts));
    }

    private static final String US_COHORT =
            """
            {"1": {"type": "AND", "values": [
               {"key": "country", "value": "US", "operator": "exact", "type": "person"}]}}
            """;

    @ParameterizedTest
    @CsvSource(
            value = {
                "NULL, US, true",
                "NULL, UK, false",
                "exact, US, true",
                "exact, UK, false",
                "in, US, true",
                "in, UK, false",
                "not_in, US, false",
                "not_in, UK, true"
            },
            nullValues = "NULL")
    void cohortMembershipOperators(String operator, String country, boolean expected)
            throws Exception {
        LocalFlagEvaluator evaluator = cohortFlag(operator, US_COHORT);
        assertThat(
                        evaluator
                                .evaluate(
                                        "c",
                                        LocalFlagEvaluatorTest.person(
                                                "u", Map.of("country", country)))
                                .enabled())
                .isEqualTo(expected);
    }

    @Test
    void unsupportedCohortOperatorIsInconclusive() throws Exception {
        LocalFlagEvaluator evaluator = cohortFlag("gt", US_COHORT);
        assertThatThrownBy(
                        () ->
                                evaluator.evaluate(
                                        "c",
                                        LocalFlagEvaluatorTest.person(
                                                "u", Map.of("country", "US"))))
                .isInstanceOf(InconclusiveMatchException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"type\": \"AND\", \"values\": []}",
                "{\"type\": \"AND\", \"values\": [{\"type\": \"AND\", \"values\": []}, {}]}"
            })
    void onlyCanonicalEmptyGroupsMatch(String group) throws Exception {
        LocalFlagEvaluator evaluator = cohortFlag("in", "{\"1\": " + group + "}");
        assertThat(evaluator.evaluate("c", EvaluationContext.of("u")).enabled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "null",
                "\"invalid\"",
                "{\"type\": \"AND\"}",
                "{\"type\": \"AND\", \"values\": {}}",
                "{\"values\": []}",
                "{\"type\": \"INVALID\", \"values\": []}",
                "{\"type\": \"OR\", \"values\": [\"not-an-object\"]}"
            })
    void malformedGroupsRequireServerEvenWhenAnotherConditionMatches(String group)
            throws Exception {
        LocalFlagEvaluator evaluator =
                LocalFlagEvaluatorTest.evaluator(
                        """
                        {"flags": [{"id": 1, "key": "c", "active": true, "filters": {"groups": [
                           {"properties": [], "rollout_percentage": 100},
                           {"properties": [{"key": "id", "value": 1, "type": "cohort"}]}]}}],
                         "cohorts": {"1": %s}}
                        """
                                .formatted(group));
        // The first condition already matches, so no cohort is needed.
        assertThat(evaluator.evaluate("c", EvaluationContext.of("u")).enabled()).isTrue();

        LocalFlagEvaluator cohortFirst = cohortFlag("in", "{\"1\": " + group + "}");
        assertThatThrownBy(() -> cohortFirst.evaluate("c", EvaluationContext.of("u")))
                .isInstanceOf(RequiresServerEvaluationException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "OR, US, leaf-first",
        "OR, US, cohort-first",
        "AND, UK, leaf-first",
        "AND, UK, cohort-first"
    })
    void missingNestedCohortAlwaysRequiresServer(String type, String country, String order)
            throws Exception {
        String leaf =
                "{\"key\": \"country\", \"value\": \"US\", \"operator\": \"exact\", \"type\":"
                        + " \"person\"}";
        String missing = "{\"key\": \"id\", \"value\": 999, \"type\": \"cohort\"}";
        String values = order.equals("leaf-first") ? leaf + "," + missing : missing + "," + leaf;
        LocalFlagEvaluator evaluator =
                cohortFlag(
                        "in",
                        "{\"1\": {\"type\": \"" + type + "\", \"values\": [" + values + "]}}");
        assertThatThrownBy(
                        () ->
                                evaluator.evaluate(
                                        "c",
                                        LocalFlagEvaluatorTest.person(
                                                "u", Map.of("country", country))))
                .isInstanceOf(RequiresServerEvaluationException.class);
    }

    @Test
    void staticCohortOnTheFlagSendsTheWholeFlagToTheServer() throws Exception {
        LocalFlagEvaluator evaluator =
                LocalFlagEvaluatorTest.evaluator(
                        """
                        {"flags": [{"id": 1, "key": "s", "active": true, "filters": {"groups": [
                           {"properties": [{"key": "plan", "value": "pro"}]},
                           {"properties": [{"key": "id", "value": 77, "type": "cohort"}]}]}}],
                         "cohorts": {}}
                        """);
        assertThat(
                        evaluator
                                .evaluate(
                                        "s",
                                        LocalFlagEvaluatorTest.person("u", Map.of("plan", "pro")))
                                .enabled())
                .isTrue();
        assertThatThrownBy(
                        () ->
                                evaluator.evaluate(
                                        "s",
                                        LocalFlagEvaluatorTest.person("u", Map.of("plan", "free"))))
                .isInstanceOf(RequiresServerEvaluationException.class);
    }

    @Test
    void nestedOrWithNegationAndInconclusiveBranches() throws Exception {
        LocalFlagEvaluator evaluator =
                cohortFlag(
                        "in",
                        """
                        {"1": {"type": "OR", "values": [
                           {"type": "AND", "values": [
                              {"key": "country", "value": "US", "type": "person"},
                              {"key": "plan", "value": "free", "type": "person", "negation": true}]},
                           {"type": "AND", "values": [
                              {"key": "age", "operator": "gte", "value": 65, "type": "person"}]}]}}
                        """);
        assertThat(evaluate(evaluator, Map.of("country", "US", "plan", "pro"))).isTrue();
        assertThat(evaluate(evaluator, Map.of("country", "US", "plan", "free", "age", 30)))
                .isFalse();
        assertThat(evaluate(evaluator, Map.of("country", "DE", "plan", "free", "age", 70)))
                .isTrue();
        // First branch decides false, second is inconclusive (no age): the cohort is undecidable.
        assertThatThrownBy(() -> evaluate(evaluator, Map.of("country", "DE", "plan", "pro")))
                .isInstanceOf(InconclusiveMatchException.class);
        // A decisive OR branch wins over an inconclusive one.
        assertThat(evaluate(evaluator, Map.of("country", "US", "plan", "pro"))).isTrue();
    }

    private static boolean evaluate(LocalFlagEvaluator evaluator, Map<String, Object> properties)
            throws InconclusiveMatchException {
        return evaluator.evaluate("c", LocalFlagEvaluatorTest.person("u", properties)).enabled();
    }

    @ParameterizedTest
    @CsvSource({
        "not_icontains, valUe, VALUE2, false",
        "not_icontains, valUe, other, true",
        "not_icontains, 3, 323, false",
        "not_regex, \\.com$, value.com, false",
        "not_regex, \\.com$, value.org, true",
        "not_regex, ?*, value, false",
        "regex, (?P<word>ab)(?P=word), xababy, true",
        "regex, (?P<word>ab)(?P=word), xaby, false",
        "regex, ^\\w+$, héllo, true",
        "regex, end\\Z, the end, true",
        "exact, STRASSE, Straße, true",
        "icontains, ß, STRASSE, true"
    })
    void operatorsOutsideThePythonVectors(
            String operator, String value, String actual, boolean expected) throws Exception {
        FilterNode.PropertyCheck check =
                DefinitionParser.propertyCheck(
                        JSON.createObjectNode()
                                .put("key", "k")
                                .put("value", value)
                                .put("operator", operator));
        assertThat(
                        PropertyMatcher.matches(
                                check,
                                new PropertyValues(Map.of("k", actual), null, null),
                                Clock.systemUTC()))
                .isEqualTo(expected);
    }

    @Test
    void numericComparisonWithAListIsLeftToTheServer() {
        FilterNode.PropertyCheck check =
                DefinitionParser.propertyCheck(
                        JSON.createObjectNode()
                                .put("key", "k")
                                .put("value", 5)
                                .put("operator", "gt"));
        assertThatThrownBy(
                        () ->
                                PropertyMatcher.matches(
                                        check,
                                        new PropertyValues(
                                                Map.of("k", java.util.List.of(1)), null, null),
                                        Clock.systemUTC()))
                .isInstanceOf(RequiresServerEvaluationException.class);
    }
}
