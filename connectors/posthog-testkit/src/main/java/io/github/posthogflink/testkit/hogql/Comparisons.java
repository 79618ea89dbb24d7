package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.Ast.CompareOp;
import io.github.posthogflink.testkit.hogql.HType.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Comparisons with HogQL's semantics: operands are brought to a common type the way ClickHouse
 * converts constants, and nullable operands get PostHog's {@code ifNull} treatment (so {@code
 * properties.x != 'a'} is true where x is missing, and {@code properties.x = 'a'} is false).
 */
final class Comparisons {
    private Comparisons() {}

    static Sql compare(CompareOp op, Sql left, Sql right) throws HogQLException {
        String hogql = op.hogqlName + "(" + left.hogql() + ", " + right.hogql() + ")";
        if (op.isLike()) {
            left = asString(left);
            right = asString(right);
        } else {
            Sql[] pair = unify(left, right);
            left = pair[0];
            right = pair[1];
        }
        String sqlOp =
                op.isLike()
                        ? "(" + left.sql() + " " + op.sql + " " + right.sql() + " ESCAPE '\\')"
                        : "(" + left.sql() + " " + op.sql + " " + right.sql() + ")";

        if (left.isNullConstant() || right.isNullConstant()) {
            Sql other = left.isNullConstant() ? right : left;
            if (other.isNullConstant()) {
                boolean result =
                        op == CompareOp.EQ || op == CompareOp.LIKE || op == CompareOp.ILIKE;
                return predicate(result ? "TRUE" : "FALSE", hogql);
            }
            return switch (op) {
                case EQ, LIKE, ILIKE -> predicate("(" + other.sql() + " IS NULL)", hogql);
                case NOT_EQ, NOT_LIKE, NOT_ILIKE ->
                        predicate("(" + other.sql() + " IS NOT NULL)", hogql);
                default -> predicate("FALSE", hogql);
            };
        }
        boolean nullable = left.type().nullable() || right.type().nullable();
        if (!nullable) {
            return predicate(sqlOp, hogql);
        }
        boolean oneConstant = left.constant() || right.constant();
        if (op == CompareOp.EQ && !oneConstant) {
            return predicate(
                    "(" + left.sql() + " IS NOT DISTINCT FROM " + right.sql() + ")", hogql);
        }
        if (op == CompareOp.NOT_EQ && !oneConstant) {
            return predicate("(" + left.sql() + " IS DISTINCT FROM " + right.sql() + ")", hogql);
        }
        String whenNull;
        if (op.trueWhenNull()) {
            whenNull =
                    oneConstant
                            ? "TRUE"
                            : "(" + left.sql() + " IS NOT NULL OR " + right.sql() + " IS NOT NULL)";
        } else if (op.isLike() && !oneConstant) {
            whenNull = "(" + left.sql() + " IS NULL AND " + right.sql() + " IS NULL)";
        } else {
            whenNull = "FALSE";
        }
        return predicate("COALESCE(" + sqlOp + ", " + whenNull + ")", hogql);
    }

    /** {@code x [NOT] IN (...)}: as in ClickHouse, a NULL on the left yields 0 either way. */
    static Sql in(Sql probe, List<Sql> items, boolean negated) throws HogQLException {
        List<String> hogqlItems = new ArrayList<>();
        for (Sql item : items) {
            hogqlItems.add(item.hogql());
        }
        String hogql =
                (negated ? "notIn(" : "in(")
                        + probe.hogql()
                        + ", tuple("
                        + String.join(", ", hogqlItems)
                        + "))";
        List<String> sqlItems = new ArrayList<>();
        Sql unifiedProbe = probe;
        for (Sql item : items) {
            if (item.isNullConstant()) {
                continue; // ClickHouse skips NULLs in the set unless transform_null_in is on
            }
            Sql[] pair = unify(probe, item);
            unifiedProbe = pair[0];
            sqlItems.add(pair[1].sql());
        }
        if (sqlItems.isEmpty()) {
            return predicate(negated ? "(" + probe.sql() + " IS NOT NULL)" : "FALSE", hogql);
        }
        String sql =
                "COALESCE(("
                        + unifiedProbe.sql()
                        + (negated ? " NOT IN (" : " IN (")
                        + String.join(", ", sqlItems)
                        + ")), FALSE)";
        return predicate(sql, hogql);
    }

    static Sql predicate(String sql, String hogql) {
        return Sql.expr(sql, HType.PREDICATE, hogql);
    }

    /** Brings two operands to comparable DuckDB types. */
    static Sql[] unify(Sql a, Sql b) throws HogQLException {
        Sql[] swapped = unifyOrdered(b, a);
        if (swapped != null) {
            return new Sql[] {swapped[1], swapped[0]};
        }
        Sql[] pair = unifyOrdered(a, b);
        return pair != null ? pair : new Sql[] {a, b};
    }

    /** Converts {@code other} towards {@code anchor}'s type; null if no rule applies. */
    private static Sql[] unifyOrdered(Sql anchor, Sql other) throws HogQLException {
        Kind kind = anchor.type().kind();
        Kind otherKind = other.type().kind();
        if (other.isNullConstant() || anchor.isNullConstant()) {
            return null;
        }
        if (kind == Kind.DATETIME && other.isStringConstant()) {
            return new Sql[] {
                anchor,
                constant(
                        SqlLiterals.timestamp(SqlLiterals.parseInstant((String) other.value())),
                        HType.DATETIME,
                        other)
            };
        }
        if (kind == Kind.DATETIME && other.constant() && other.value() instanceof Long seconds) {
            // ClickHouse reads a number against a DateTime as Unix seconds.
            return new Sql[] {
                anchor,
                constant(
                        SqlLiterals.timestamp(java.time.Instant.ofEpochSecond(seconds)),
                        HType.DATETIME,
                        other)
            };
        }
        if (kind == Kind.DATE && other.isStringConstant()) {
            return new Sql[] {
                anchor,
                constant(
                        SqlLiterals.date(SqlLiterals.parseDate((String) other.value())),
                        HType.DATE,
                        other)
            };
        }
        if (kind == Kind.DATETIME && otherKind == Kind.DATE) {
            return new Sql[] {
                anchor,
                Sql.expr(
                        "CAST(" + other.sql() + " AS TIMESTAMP)",
                        HType.DATETIME.withNullable(other.type().nullable()),
                        other.hogql())
            };
        }
        if (kind == Kind.UUID && other.isStringConstant()) {
            return new Sql[] {
                anchor, constant(SqlLiterals.uuid((String) other.value()), HType.UUID, other)
            };
        }
        if (kind == Kind.UUID && otherKind == Kind.STRING) {
            return new Sql[] {
                Sql.expr(
                        "CAST(" + anchor.sql() + " AS VARCHAR)",
                        HType.STRING.withNullable(anchor.type().nullable()),
                        anchor.hogql()),
                other
            };
        }
        if (anchor.type().isNumeric() && otherKind == Kind.STRING) {
            // A string against a number compares numerically (unparseable strings become NULL).
            return new Sql[] {
                anchor,
                Sql.expr(
                        "TRY_CAST(" + other.sql() + " AS DOUBLE)",
                        HType.FLOAT64.withNullable(true),
                        other.hogql())
            };
        }
        if ((kind == Kind.BOOL || kind == Kind.PREDICATE)
                && (otherKind == Kind.INTEGER || otherKind == Kind.FLOAT)) {
            return new Sql[] {
                Sql.expr(
                        "CAST(" + anchor.sql() + " AS INTEGER)",
                        HType.INT64.withNullable(anchor.type().nullable()),
                        anchor.hogql()),
                other
            };
        }
        if (kind == Kind.BOOL && other.isStringConstant()) {
            String text = ((String) other.value()).trim().toLowerCase(java.util.Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return new Sql[] {
                    anchor, constant(text.toUpperCase(java.util.Locale.ROOT), HType.BOOL, other)
                };
            }
        }
        return null;
    }

    private static Sql constant(String sql, HType type, Sql original) {
        return new Sql(sql, type, original.hogql(), true, original.value());
    }

    static Sql asString(Sql value) {
        if (value.type().kind() == Kind.STRING || value.type().kind() == Kind.NOTHING) {
            return value;
        }
        return new Sql(
                "CAST(" + value.sql() + " AS VARCHAR)",
                HType.STRING.withNullable(value.type().nullable()),
                value.hogql(),
                value.constant(),
                value.value());
    }
}
