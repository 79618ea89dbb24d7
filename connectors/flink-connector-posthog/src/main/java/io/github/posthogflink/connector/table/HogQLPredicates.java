package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLLiterals;

import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalType;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates Flink filter expressions into a HogQL {@code WHERE} that keeps exactly the rows
 * Flink's filter keeps: comparisons, {@code IN}, {@code IS [NOT] NULL}, {@code LIKE}, {@code
 * AND}/{@code OR}/{@code NOT} over declared columns and literals. A Flink filter keeps a row when
 * it is TRUE (three-valued logic), and HogQL's comparisons treat NULL as PostHog prints them
 * ({@code =}, {@code <}, {@code LIKE}, {@code IN} false, {@code !=} and {@code NOT LIKE} true), so
 * each predicate has two translations: when it is TRUE ({@link #whenTrue}) and when it is FALSE
 * ({@link #whenFalse}), a negation swapping them and a negative comparison guarded by {@code IS NOT
 * NULL}. Anything else is not translated and stays in Flink.
 */
final class HogQLPredicates {
    private static final Map<FunctionDefinition, String> COMPARISONS =
            Map.of(
                    BuiltInFunctionDefinitions.EQUALS, "=",
                    BuiltInFunctionDefinitions.NOT_EQUALS, "!=",
                    BuiltInFunctionDefinitions.LESS_THAN, "<",
                    BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL, "<=",
                    BuiltInFunctionDefinitions.GREATER_THAN, ">",
                    BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, ">=");

    private static final Map<String, String> NEGATED =
            Map.of("=", "!=", "!=", "=", "<", ">=", "<=", ">", ">", "<=", ">=", "<");

    private static final Map<String, String> MIRRORED =
            Map.of("=", "=", "!=", "!=", "<", ">", "<=", ">=", ">", "<", ">=", "<=");

    private final HogQLTableColumns columns;

    HogQLPredicates(HogQLTableColumns columns) {
        this.columns = columns;
    }

    /** The HogQL that is true exactly when the Flink predicate is TRUE, if it translates. */
    Optional<String> translate(ResolvedExpression filter) {
        return Optional.ofNullable(whenTrue(filter));
    }

    @Nullable
    private String whenTrue(ResolvedExpression e) {
        return predicate(e, false);
    }

    @Nullable
    private String whenFalse(ResolvedExpression e) {
        return predicate(e, true);
    }

    /**
     * The predicate's HogQL for TRUE, or with {@code negated} for FALSE; null if untranslatable.
     */
    @Nullable
    private String predicate(ResolvedExpression e, boolean negated) {
        if (e instanceof FieldReferenceExpression f
                && f.getOutputDataType().getLogicalType().getTypeRoot()
                        == org.apache.flink.table.types.logical.LogicalTypeRoot.BOOLEAN
                && columns.has(f.getName())) {
            return columns.comparable(f.getName()) + " = " + (negated ? "false" : "true");
        }
        if (!(e instanceof CallExpression call)) {
            return null;
        }
        FunctionDefinition fn = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (fn == BuiltInFunctionDefinitions.AND || fn == BuiltInFunctionDefinitions.OR) {
            boolean and = (fn == BuiltInFunctionDefinitions.AND) != negated;
            List<String> parts = new ArrayList<>();
            for (ResolvedExpression arg : args) {
                String part = predicate(arg, negated);
                if (part == null) {
                    return null;
                }
                parts.add("(" + part + ")");
            }
            return String.join(and ? " AND " : " OR ", parts);
        }
        if (fn == BuiltInFunctionDefinitions.NOT) {
            return predicate(args.get(0), !negated);
        }
        if (fn == BuiltInFunctionDefinitions.IS_NULL
                || fn == BuiltInFunctionDefinitions.IS_NOT_NULL) {
            String column = column(args.get(0));
            if (column == null) {
                return null;
            }
            boolean isNull = (fn == BuiltInFunctionDefinitions.IS_NULL) != negated;
            return columns.expression(column) + (isNull ? " IS NULL" : " IS NOT NULL");
        }
        String op = COMPARISONS.get(fn);
        if (op != null) {
            return comparison(args, op, negated);
        }
        if (fn == BuiltInFunctionDefinitions.IN) {
            return in(args, negated);
        }
        if (fn == BuiltInFunctionDefinitions.LIKE) {
            return like(args, negated);
        }
        return null;
    }

    @Nullable
    private String comparison(List<ResolvedExpression> args, String op, boolean negated) {
        String column = column(args.get(0));
        ResolvedExpression literal = args.get(1);
        if (column == null) {
            column = column(args.get(1));
            literal = args.get(0);
            op = MIRRORED.get(op);
        }
        String value = literal(literal);
        if (column == null || value == null || value.equals("NULL")) {
            return null; // x = NULL is never TRUE in Flink: left to Flink's own handling
        }
        String effective = negated ? NEGATED.get(op) : op;
        String text = columns.comparable(column) + " " + effective + " " + value;
        // HogQL's != is true for NULL, Flink's <> never: guard it
        return effective.equals("!=") ? notNull(column) + text : text;
    }

    @Nullable
    private String in(List<ResolvedExpression> args, boolean negated) {
        String column = column(args.get(0));
        if (column == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (ResolvedExpression arg : args.subList(1, args.size())) {
            String value = literal(arg);
            if (value == null || value.equals("NULL")) {
                return null;
            }
            values.add(value);
        }
        String list = "(" + String.join(", ", values) + ")";
        return negated
                ? notNull(column) + columns.comparable(column) + " NOT IN " + list
                : columns.comparable(column) + " IN " + list;
    }

    /**
     * {@code LIKE}: {@code %} and {@code _} are the same wildcards in HogQL, whose escape character
     * is always {@code \} (ClickHouse's). Without an {@code ESCAPE} clause a pattern with a
     * backslash is left to Flink; with one, escaped characters are rewritten with {@code \}.
     */
    @Nullable
    private String like(List<ResolvedExpression> args, boolean negated) {
        String column = column(args.get(0));
        String pattern = string(args.get(1));
        if (column == null || pattern == null) {
            return null;
        }
        String converted;
        if (args.size() > 2) {
            String escape = string(args.get(2));
            if (escape == null || escape.length() != 1) {
                return null;
            }
            converted = withBackslashEscape(pattern, escape.charAt(0));
            if (converted == null) {
                return null;
            }
        } else if (pattern.indexOf('\\') >= 0) {
            return null;
        } else {
            converted = pattern;
        }
        String value = HogQLLiterals.string(converted);
        return negated
                ? notNull(column) + columns.expression(column) + " NOT LIKE " + value
                : columns.expression(column) + " LIKE " + value;
    }

    /** Rewrites a LIKE pattern with escape character {@code escape} to use {@code \}. */
    @Nullable
    private static String withBackslashEscape(String pattern, char escape) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == escape) {
                if (i + 1 >= pattern.length()) {
                    return null;
                }
                out.append('\\').append(pattern.charAt(++i));
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private String notNull(String column) {
        return columns.expression(column) + " IS NOT NULL AND ";
    }

    /** The declared column a field reference names, or null. */
    @Nullable
    private String column(ResolvedExpression e) {
        return e instanceof FieldReferenceExpression f && columns.has(f.getName())
                ? f.getName()
                : null;
    }

    @Nullable
    private static String string(ResolvedExpression e) {
        return e instanceof ValueLiteralExpression v
                ? v.getValueAs(String.class).orElse(null)
                : null;
    }

    /** A literal as HogQL text, escaped as PostHog escapes it, or null if not a plain literal. */
    @Nullable
    static String literal(ResolvedExpression e) {
        if (!(e instanceof ValueLiteralExpression v)) {
            return null;
        }
        if (v.isNull()) {
            return "NULL";
        }
        LogicalType type = v.getOutputDataType().getLogicalType();
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR ->
                    v.getValueAs(String.class).map(HogQLLiterals::string).orElse(null);
            case BOOLEAN -> v.getValueAs(Boolean.class).map(HogQLLiterals::number).orElse(null);
            case TINYINT, SMALLINT, INTEGER, BIGINT ->
                    v.getValueAs(Long.class).map(HogQLLiterals::number).orElse(null);
            case FLOAT, DOUBLE ->
                    v.getValueAs(Double.class).map(HogQLLiterals::number).orElse(null);
            case DECIMAL -> v.getValueAs(BigDecimal.class).map(HogQLLiterals::number).orElse(null);
            case DATE -> v.getValueAs(LocalDate.class).map(HogQLLiterals::date).orElse(null);
            case TIMESTAMP_WITHOUT_TIME_ZONE ->
                    v.getValueAs(LocalDateTime.class)
                            .map(t -> HogQLLiterals.dateTime(t.toInstant(ZoneOffset.UTC)))
                            .orElse(null);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                    v.getValueAs(Instant.class).map(HogQLLiterals::dateTime).orElse(null);
            default -> null;
        };
    }

    /** The instant of a timestamp literal (bounds of a time range), or null. */
    @Nullable
    static Instant instant(ResolvedExpression e) {
        if (!(e instanceof ValueLiteralExpression v) || v.isNull()) {
            return null;
        }
        return switch (v.getOutputDataType().getLogicalType().getTypeRoot()) {
            case TIMESTAMP_WITHOUT_TIME_ZONE ->
                    v.getValueAs(LocalDateTime.class)
                            .map(t -> t.toInstant(ZoneOffset.UTC))
                            .orElse(null);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> v.getValueAs(Instant.class).orElse(null);
            default -> null;
        };
    }
}
