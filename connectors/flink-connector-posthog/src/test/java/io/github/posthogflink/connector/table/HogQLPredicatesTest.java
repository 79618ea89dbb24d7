package io.github.posthogflink.connector.table;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinition;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.DataType;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Flink filters to HogQL: exact under Flink's three-valued logic, literals escaped as PostHog. */
class HogQLPredicatesTest {
    private static final List<String> NAMES =
            List.of("event", "plan", "ts", "uuid", "`properties.$browser`", "n", "paid");
    private static final HogQLTableColumns COLUMNS =
            HogQLTableColumns.of(
                    "events",
                    List.of("event", "plan", "ts", "uuid", "properties.$browser", "n", "paid"),
                    Map.of(
                            "hogql.column.plan", "properties.plan",
                            "hogql.column.ts", "timestamp",
                            "hogql.column.n", "properties.n",
                            "hogql.column.paid", "properties.paid"));
    private static final HogQLPredicates PREDICATES = new HogQLPredicates(COLUMNS);

    @Test
    void comparisonsAndLogic() {
        assertThat(hogql(call(EQ, field("event"), literal("signup")))).contains("event = 'signup'");
        assertThat(hogql(call(GT, literal(3L), field("n")))).contains("properties.n < 3");
        assertThat(hogql(call(NOT_EQ, field("plan"), literal("pro"))))
                .as("HogQL's != is true for NULL, Flink's <> is not")
                .contains("properties.plan IS NOT NULL AND properties.plan != 'pro'");
        assertThat(hogql(not(call(EQ, field("plan"), literal("pro")))))
                .contains("properties.plan IS NOT NULL AND properties.plan != 'pro'");
        assertThat(hogql(not(call(LT, field("n"), literal(3L))))).contains("properties.n >= 3");
        assertThat(
                        hogql(
                                not(
                                        call(
                                                BuiltInFunctionDefinitions.AND,
                                                call(EQ, field("event"), literal("a")),
                                                call(
                                                        BuiltInFunctionDefinitions.IS_NULL,
                                                        field("plan"))))))
                .contains("(event IS NOT NULL AND event != 'a') OR (properties.plan IS NOT NULL)");
        assertThat(
                        hogql(
                                call(
                                        BuiltInFunctionDefinitions.OR,
                                        call(EQ, field("event"), literal("a")),
                                        call(EQ, field("event"), literal("b")))))
                .contains("(event = 'a') OR (event = 'b')");
        assertThat(hogql(field("paid"))).contains("properties.paid = true");
        assertThat(hogql(not(field("paid")))).contains("properties.paid = false");
    }

    @Test
    void inIsNullLikeAndTimes() {
        assertThat(
                        hogql(
                                call(
                                        BuiltInFunctionDefinitions.IN,
                                        field("event"),
                                        literal("a"),
                                        literal("b'c"))))
                .contains("event IN ('a', 'b\\'c')");
        assertThat(hogql(not(call(BuiltInFunctionDefinitions.IN, field("event"), literal("a")))))
                .contains("event IS NOT NULL AND event NOT IN ('a')");
        assertThat(hogql(call(BuiltInFunctionDefinitions.IS_NOT_NULL, field("plan"))))
                .contains("properties.plan IS NOT NULL");
        assertThat(hogql(call(BuiltInFunctionDefinitions.LIKE, field("plan"), literal("p_%"))))
                .contains("properties.plan LIKE 'p_%'");
        assertThat(
                        hogql(
                                call(
                                        BuiltInFunctionDefinitions.LIKE,
                                        field("plan"),
                                        literal("100!%\\"),
                                        literal("!"))))
                .as("Flink's escape character rewritten to HogQL's backslash, then escaped")
                .contains("properties.plan LIKE '100\\\\%\\\\\\\\'");
        assertThat(hogql(call(BuiltInFunctionDefinitions.LIKE, field("plan"), literal("a\\b"))))
                .as("without ESCAPE a backslash is left to Flink")
                .isEmpty();
        assertThat(
                        hogql(
                                call(
                                        GTE,
                                        field("ts"),
                                        new ValueLiteralExpression(
                                                Instant.parse("2026-03-01T10:00:00.5Z"),
                                                DataTypes.TIMESTAMP_LTZ(3).notNull()))))
                .contains("timestamp >= toDateTime('2026-03-01 10:00:00.500000')");
        assertThat(hogql(call(EQ, field("uuid"), literal("0190-x"))))
                .as("a UUID field compares as text, as Flink compares the STRING column")
                .contains("toString(uuid) = '0190-x'");
        assertThat(hogql(call(EQ, field("`properties.$browser`"), literal("Chrome"))))
                .contains("properties.$browser = 'Chrome'");
    }

    @Test
    void whatDoesNotTranslateStaysInFlink() {
        assertThat(hogql(call(EQ, field("event"), field("plan")))).isEmpty();
        assertThat(
                        hogql(
                                call(
                                        BuiltInFunctionDefinitions.AND,
                                        call(EQ, field("event"), literal("a")),
                                        call(BuiltInFunctionDefinitions.UPPER, field("plan")))))
                .isEmpty();
        assertThat(hogql(call(EQ, field("event"), nullLiteral()))).isEmpty();
    }

    @Test
    void hostileStringsAreEscapedAsPostHogEscapesThem() {
        assertThat(hogql(call(EQ, field("event"), literal("it's \\ {x} \n\t\0 ünï 🚀 %_"))))
                .contains("event = 'it\\'s \\\\ {x} \\n\\t\\0 ünï 🚀 %_'");
    }

    private static Optional<String> hogql(ResolvedExpression e) {
        return PREDICATES.translate(e);
    }

    private static final BuiltInFunctionDefinition EQ = BuiltInFunctionDefinitions.EQUALS;
    private static final BuiltInFunctionDefinition NOT_EQ = BuiltInFunctionDefinitions.NOT_EQUALS;
    private static final BuiltInFunctionDefinition LT = BuiltInFunctionDefinitions.LESS_THAN;
    private static final BuiltInFunctionDefinition GT = BuiltInFunctionDefinitions.GREATER_THAN;
    private static final BuiltInFunctionDefinition GTE =
            BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL;

    private static ResolvedExpression call(
            BuiltInFunctionDefinition fn, ResolvedExpression... args) {
        return CallExpression.permanent(fn, Arrays.asList(args), DataTypes.BOOLEAN());
    }

    private static ResolvedExpression not(ResolvedExpression e) {
        return call(BuiltInFunctionDefinitions.NOT, e);
    }

    private static FieldReferenceExpression field(String name) {
        String column = name.replace("`", "");
        int index = NAMES.indexOf(name);
        DataType type =
                switch (column) {
                    case "n" -> DataTypes.BIGINT();
                    case "ts" -> DataTypes.TIMESTAMP_LTZ(6);
                    case "paid" -> DataTypes.BOOLEAN();
                    default -> DataTypes.STRING();
                };
        return new FieldReferenceExpression(column, type, 0, index);
    }

    private static ValueLiteralExpression literal(Object value) {
        return new ValueLiteralExpression(value);
    }

    private static ValueLiteralExpression nullLiteral() {
        return new ValueLiteralExpression(null, DataTypes.STRING());
    }
}
