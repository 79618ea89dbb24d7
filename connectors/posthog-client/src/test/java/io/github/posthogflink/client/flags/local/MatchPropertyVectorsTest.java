package io.github.posthogflink.client.flags.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * posthog-python's {@code TestMatchProperties} ({@code match_property}), transcribed as data into
 * {@code flags/match-property-cases.json}: every operator, with the Python-specific type coercions.
 */
class MatchPropertyVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock UNFROZEN =
            Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in =
                MatchPropertyVectorsTest.class.getResourceAsStream(
                        "/flags/match-property-cases.json")) {
            root = JSON.readTree(in);
        }
        List<Arguments> cases = new ArrayList<>();
        int index = 0;
        for (JsonNode c : root) {
            cases.add(
                    Arguments.of(
                            index++ + " " + c.get("test").asText(),
                            c.get("property"),
                            c.get("values"),
                            c.get("expected"),
                            c.get("now")));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} on {2} -> {3}")
    @MethodSource("cases")
    void matchesLikePosthogPython(
            String name, JsonNode property, JsonNode values, JsonNode expected, JsonNode now)
            throws Exception {
        FilterNode.PropertyCheck check = DefinitionParser.propertyCheck(property);
        PropertyValues actual = new PropertyValues(toJava(values), null, null);
        Clock clock =
                now == null || now.isNull()
                        ? UNFROZEN
                        : Clock.fixed(
                                LocalDate.parse(now.asText())
                                        .atStartOfDay()
                                        .toInstant(ZoneOffset.UTC),
                                ZoneOffset.UTC);
        if (expected.isTextual()) {
            assertThat(expected.asText()).isEqualTo("inconclusive");
            assertThatThrownBy(() -> PropertyMatcher.matches(check, actual, clock))
                    .isInstanceOf(InconclusiveMatchException.class);
        } else {
            assertThat(PropertyMatcher.matches(check, actual, clock))
                    .isEqualTo(expected.asBoolean());
        }
    }

    @Test
    void vectorFileCoversEveryOperatorFamily() throws IOException {
        List<String> operators = new ArrayList<>();
        cases().forEach(
                        a -> {
                            JsonNode op = ((JsonNode) a.get()[1]).get("operator");
                            operators.add(op == null ? "exact" : op.asText());
                        });
        assertThat(operators).hasSizeGreaterThan(300);
        for (PropertyOperator op : PropertyOperator.values()) {
            // posthog-python has no match_property vectors for these; OperatorEdgeCasesTest has.
            if (op != PropertyOperator.UNKNOWN
                    && op != PropertyOperator.IS_NOT_SET
                    && op != PropertyOperator.NOT_ICONTAINS
                    && op != PropertyOperator.NOT_REGEX) {
                assertThat(operators).as(op.wireName()).contains(op.wireName());
            }
        }
    }

    @Test
    void unknownOperatorMessageNamesTheOperator() {
        FilterNode.PropertyCheck check =
                DefinitionParser.propertyCheck(
                        JSON.createObjectNode()
                                .put("key", "key")
                                .put("value", "2022-05-01")
                                .put("operator", "is_unknown"));
        assertThatThrownBy(
                        () ->
                                PropertyMatcher.matches(
                                        check,
                                        new PropertyValues(Map.of("key", "random"), null, null),
                                        UNFROZEN))
                .isInstanceOf(InconclusiveMatchException.class)
                .hasMessage("Unknown operator is_unknown");
    }

    @Test
    void isNotSetIsAlwaysInconclusive() {
        FilterNode.PropertyCheck check =
                DefinitionParser.propertyCheck(
                        JSON.createObjectNode().put("key", "key").put("operator", "is_not_set"));
        for (Map<String, ?> values : List.<Map<String, ?>>of(Map.of(), Map.of("key", "x"))) {
            assertThatThrownBy(
                            () ->
                                    PropertyMatcher.matches(
                                            check,
                                            new PropertyValues(values, null, null),
                                            UNFROZEN))
                    .isInstanceOf(InconclusiveMatchException.class);
        }
    }

    private static Map<String, Object> toJava(JsonNode values) {
        Map<String, Object> map = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> map.put(e.getKey(), valueOf(e.getValue())));
        return map;
    }

    private static Object valueOf(JsonNode node) {
        if (node.isObject() && node.has("$date")) {
            return LocalDate.parse(node.get("$date").asText());
        }
        if (node.isObject() && node.has("$datetime")) {
            String text = node.get("$datetime").asText();
            return text.length() > 19 ? OffsetDateTime.parse(text) : LocalDateTime.parse(text);
        }
        return PythonValues.fromJson(node);
    }
}
