package io.github.posthogflink.testkit.hogql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table-driven: {@code hogql/cases.json} and {@code hogql/errors.json} over {@code seed.json}. */
class HogQLEngineCasesTest {
    private static HogQLEngine engine;

    @BeforeAll
    static void seed() {
        engine = SeedData.seededEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> arguments = new ArrayList<>();
        for (JsonNode node : SeedData.resource("cases.json")) {
            arguments.add(Arguments.of(Named.of(node.get("name").asText(), node)));
        }
        return arguments.stream();
    }

    static Stream<Arguments> errors() {
        List<Arguments> arguments = new ArrayList<>();
        for (JsonNode node : SeedData.resource("errors.json")) {
            String query = node.get("query").asText();
            arguments.add(Arguments.of(Named.of(query.isBlank() ? "(empty query)" : query, node)));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersLikePostHog(JsonNode spec) throws Exception {
        HogQLResult result =
                engine.execute(
                        spec.get("query").asText(), values(spec), spec.path("pageLimit").asInt(0));

        assertThat(asJson(result.results())).isEqualTo(spec.get("results"));
        if (spec.has("columns")) {
            assertThat(asJson(result.columns())).isEqualTo(spec.get("columns"));
        }
        if (spec.has("types")) {
            assertThat(asJson(result.types())).isEqualTo(spec.get("types"));
        }
        if (spec.has("hogql")) {
            assertThat(result.hogql()).isEqualTo(spec.get("hogql").asText());
        }
        assertThat(result.limit()).isEqualTo(spec.path("limit").asInt(HogQLEngine.DEFAULT_LIMIT));
        assertThat(result.offset()).isEqualTo(spec.path("offset").asInt(0));
        assertThat(result.hasMore()).isEqualTo(spec.path("hasMore").asBoolean(false));
        assertThat(result.columns()).hasSameSizeAs(result.types());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejectsWithAHelpfulDetail(JsonNode spec) {
        assertThatThrownBy(() -> engine.execute(spec.get("query").asText(), values(spec), 0))
                .isInstanceOf(HogQLException.class)
                .hasMessageContaining(spec.get("message").asText())
                .satisfies(
                        e -> {
                            if (spec.has("kind")) {
                                assertThat(((HogQLException) e).kind().name())
                                        .isEqualTo(spec.get("kind").asText());
                            }
                        });
    }

    @Test
    void typesCanBeWrittenAsPostHogsNameTypePairs() throws Exception {
        HogQLResult result =
                engine.execute(
                        "SELECT event, count() AS c FROM events GROUP BY event", Map.of(), 0);

        assertThat(result.typesWithNames())
                .containsExactly(List.of("event", "String"), List.of("c", "UInt64"));
    }

    private static Map<String, Object> values(JsonNode spec) {
        if (!spec.has("values")) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = SeedData.JSON.convertValue(spec.get("values"), Map.class);
        return values;
    }

    /** Through JSON and back, so 7L and 7 compare equal as they would on the wire. */
    private static JsonNode asJson(Object value) throws JsonProcessingException {
        return SeedData.JSON.readTree(SeedData.JSON.writeValueAsString(value));
    }
}
