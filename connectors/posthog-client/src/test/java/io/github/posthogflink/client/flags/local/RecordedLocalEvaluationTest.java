package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whole-flag evaluations recorded from posthog-python's own local evaluation while its test-suite
 * ran ({@code flags/local-evaluation-recorded.json}): flag definitions, cohorts, group type
 * mapping, the caller's context and Python's outcome (value or inconclusive).
 */
class RecordedLocalEvaluationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in =
                RecordedLocalEvaluationTest.class.getResourceAsStream(
                        "/flags/local-evaluation-recorded.json")) {
            root = JSON.readTree(in);
        }
        Map<String, FlagDefinitions> definitions = new LinkedHashMap<>();
        root.get("definitions")
                .fields()
                .forEachRemaining(
                        e -> definitions.put(e.getKey(), FlagDefinitions.parse(e.getValue())));
        List<Arguments> cases = new ArrayList<>();
        int index = 0;
        for (JsonNode c : root.get("cases")) {
            cases.add(
                    Arguments.of(
                            index++ + " " + c.get("test").asText() + " " + c.get("flag").asText(),
                            definitions.get(c.get("defs").asText()),
                            c));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatesLikePosthogPython(String name, FlagDefinitions definitions, JsonNode c)
            throws Exception {
        LocalFlagEvaluator evaluator = new LocalFlagEvaluator(definitions);
        String flagKey = c.get("flag").asText();
        EvaluationContext context = context(c);
        JsonNode expected = c.get("expected");
        LocalEvaluation all = evaluator.evaluateAll(context, List.of(flagKey));
        if (expected.isTextual() && expected.asText().equals("inconclusive")) {
            assertThatThrownBy(() -> evaluator.evaluate(flagKey, context))
                    .isInstanceOf(InconclusiveMatchException.class);
            assertThat(all.undecided()).containsExactly(flagKey);
            return;
        }
        FlagResult result = evaluator.evaluate(flagKey, context);
        if (expected.isBoolean()) {
            assertThat(result.enabled()).isEqualTo(expected.asBoolean());
            assertThat(result.variant()).isNull();
        } else {
            assertThat(result.enabled()).isTrue();
            assertThat(result.variant()).isEqualTo(expected.asText());
        }
        assertThat(all.decided()).containsEntry(flagKey, result);
        assertThat(result.reason().code())
                .isEqualTo(result.enabled() ? "condition_match" : result.reason().code());
    }

    @Test
    void recordingCoversEveryOutcomeKind() throws IOException {
        List<String> kinds = new ArrayList<>();
        cases().forEach(
                        a -> {
                            JsonNode e = ((JsonNode) a.get()[2]).get("expected");
                            kinds.add(
                                    e.isBoolean()
                                            ? e.asText()
                                            : e.asText().equals("inconclusive")
                                                    ? "inconclusive"
                                                    : "variant");
                        });
        assertThat(kinds)
                .hasSizeGreaterThan(100)
                .contains("true", "false", "inconclusive", "variant");
    }

    private static EvaluationContext context(JsonNode c) {
        Map<String, String> groups = new LinkedHashMap<>();
        c.get("groups")
                .fields()
                .forEachRemaining(e -> groups.put(e.getKey(), e.getValue().asText()));
        Map<String, Map<String, Object>> groupProperties = new LinkedHashMap<>();
        c.get("group_properties")
                .fields()
                .forEachRemaining(e -> groupProperties.put(e.getKey(), properties(e.getValue())));
        return new EvaluationContext(
                c.get("distinct_id").asText(),
                groups,
                properties(c.get("person_properties")),
                groupProperties);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(JsonNode node) {
        return (Map<String, Object>) PythonValues.fromJson(node);
    }
}
