package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.HType.Kind;

import java.util.Locale;

/** Arithmetic, string concatenation and INTERVAL values. */
final class Arithmetic {
    private Arithmetic() {}

    static Sql apply(String op, Sql left, Sql right) throws HogQLException {
        String name =
                switch (op) {
                    case "+" -> "plus";
                    case "-" -> "minus";
                    case "*" -> "multiply";
                    case "/" -> "divide";
                    case "%" -> "modulo";
                    default -> "concat";
                };
        String hogql = name + "(" + left.hogql() + ", " + right.hogql() + ")";
        boolean nullable = left.type().nullable() || right.type().nullable();
        if (op.equals("||")) {
            return Sql.expr(
                    "(" + Functions.toStringSql(left) + " || " + Functions.toStringSql(right) + ")",
                    HType.STRING.withNullable(nullable),
                    hogql);
        }
        if (left.type().isTemporal() || right.type().isTemporal()) {
            return temporal(op, left, right, hogql);
        }
        if (!numericOperand(left) || !numericOperand(right)) {
            throw new HogQLException(
                    "Illegal types "
                            + left.type().clickhouseName()
                            + " and "
                            + right.type().clickhouseName()
                            + " of arguments of function "
                            + name);
        }
        String l = numeric(left);
        String r = numeric(right);
        boolean floating = left.type().kind() == Kind.FLOAT || right.type().kind() == Kind.FLOAT;
        if (op.equals("/")) {
            return Sql.expr(
                    "(CAST(" + l + " AS DOUBLE) / " + r + ")",
                    HType.FLOAT64.withNullable(nullable),
                    hogql);
        }
        HType type = floating ? HType.FLOAT64 : HType.INT64;
        return Sql.expr("(" + l + " " + op + " " + r + ")", type.withNullable(nullable), hogql);
    }

    private static boolean numericOperand(Sql value) {
        return value.type().isNumeric()
                || value.type().kind() == Kind.BOOL
                || value.type().kind() == Kind.NOTHING;
    }

    private static String numeric(Sql value) {
        Kind kind = value.type().kind();
        return kind == Kind.PREDICATE || kind == Kind.BOOL
                ? "CAST(" + value.sql() + " AS INTEGER)"
                : value.sql();
    }

    private static Sql temporal(String op, Sql left, Sql right, String hogql)
            throws HogQLException {
        boolean plusOrMinus = op.equals("+") || op.equals("-");
        if (plusOrMinus && left.type().isTemporal() && right.type().kind() == Kind.INTERVAL) {
            HType type = left.type().kind() == Kind.DATE ? HType.DATETIME : left.type();
            if (left.type().kind() == Kind.DATE && isWholeDays(right)) {
                return Sql.expr(
                        "CAST(" + left.sql() + " " + op + " " + right.sql() + " AS DATE)",
                        left.type(),
                        hogql);
            }
            return Sql.expr(
                    "(" + left.sql() + " " + op + " " + right.sql() + ")",
                    type.withNullable(left.type().nullable()),
                    hogql);
        }
        if (op.equals("+") && right.type().isTemporal() && left.type().kind() == Kind.INTERVAL) {
            return apply(op, right, left);
        }
        throw new HogQLException(
                "Illegal types "
                        + left.type().clickhouseName()
                        + " and "
                        + right.type().clickhouseName()
                        + " of arguments of "
                        + op
                        + "; add or subtract an INTERVAL");
    }

    private static boolean isWholeDays(Sql interval) {
        String name = interval.type().baseName();
        return name.equals("IntervalDay")
                || name.equals("IntervalWeek")
                || name.equals("IntervalMonth")
                || name.equals("IntervalQuarter")
                || name.equals("IntervalYear");
    }

    static Sql interval(Sql amount, String unit) throws HogQLException {
        if (amount.type().kind() != Kind.INTEGER) {
            throw new HogQLException("INTERVAL needs an integer amount, got " + amount.hogql());
        }
        String capitalised = unit.substring(0, 1).toUpperCase(Locale.ROOT) + unit.substring(1);
        String hogql = "toInterval" + capitalised + "(" + amount.hogql() + ")";
        String function =
                switch (unit) {
                    case "second" -> "to_seconds";
                    case "minute" -> "to_minutes";
                    case "hour" -> "to_hours";
                    case "day" -> "to_days";
                    case "week" -> "to_weeks";
                    case "month", "quarter" -> "to_months";
                    default -> "to_years";
                };
        String value = "CAST(" + amount.sql() + " AS BIGINT)";
        if (unit.equals("quarter")) {
            value = "(" + value + " * 3)";
        }
        if (unit.equals("second")) {
            value = "CAST(" + value + " AS DOUBLE)";
        } else if (!unit.equals("minute") && !unit.equals("hour")) {
            value = "CAST(" + value + " AS INTEGER)";
        }
        return Sql.expr(
                function + "(" + value + ")",
                new HType(Kind.INTERVAL, "Interval" + capitalised, amount.type().nullable()),
                hogql);
    }
}
