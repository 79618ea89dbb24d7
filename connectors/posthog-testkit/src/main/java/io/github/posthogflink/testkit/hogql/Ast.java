package io.github.posthogflink.testkit.hogql;

import java.util.List;

/** The parsed form of the supported HogQL subset. */
final class Ast {
    private Ast() {}

    sealed interface Expr
            permits Constant,
                    Field,
                    Star,
                    Call,
                    Not,
                    Negate,
                    Logical,
                    Arithmetic,
                    Compare,
                    InList,
                    IsNull,
                    Interval,
                    Alias {}

    /** A literal or a substituted placeholder: Long, Double, String, Boolean, or null. */
    record Constant(Object value) implements Expr {}

    record Field(List<String> chain) implements Expr {}

    record Star() implements Expr {}

    record Call(String name, List<Expr> args, boolean distinct) implements Expr {}

    record Not(Expr expr) implements Expr {}

    record Negate(Expr expr) implements Expr {}

    /** AND / OR over two or more operands. */
    record Logical(boolean and, List<Expr> operands) implements Expr {}

    /** {@code + - * / % ||}. */
    record Arithmetic(String op, Expr left, Expr right) implements Expr {}

    /** {@code = != < <= > >= LIKE NOT LIKE ILIKE NOT ILIKE}, with {@code op} normalised. */
    record Compare(CompareOp op, Expr left, Expr right) implements Expr {}

    record InList(Expr expr, List<Expr> items, boolean negated) implements Expr {}

    record IsNull(Expr expr, boolean negated) implements Expr {}

    record Interval(Expr amount, String unit) implements Expr {}

    record Alias(Expr expr, String alias) implements Expr {}

    record OrderItem(Expr expr, boolean descending) {}

    record Select(
            boolean distinct,
            List<Expr> columns,
            String table,
            String tableAlias,
            Expr where,
            List<Expr> groupBy,
            Expr having,
            List<OrderItem> orderBy,
            Long limit,
            Long offset,
            Select subquery) {

        /** Whether the query reads a table or a subquery. */
        boolean hasFrom() {
            return table != null || subquery != null;
        }
    }

    enum CompareOp {
        EQ("=", "equals"),
        NOT_EQ("<>", "notEquals"),
        LT("<", "less"),
        LT_EQ("<=", "lessOrEquals"),
        GT(">", "greater"),
        GT_EQ(">=", "greaterOrEquals"),
        LIKE("LIKE", "like"),
        NOT_LIKE("NOT LIKE", "notLike"),
        ILIKE("ILIKE", "ilike"),
        NOT_ILIKE("NOT ILIKE", "notILike");

        final String sql;
        final String hogqlName;

        CompareOp(String sql, String hogqlName) {
            this.sql = sql;
            this.hogqlName = hogqlName;
        }

        boolean isLike() {
            return this == LIKE || this == NOT_LIKE || this == ILIKE || this == NOT_ILIKE;
        }

        /** PostHog prints {@code ifNull(op, 1)} for the negative operators, {@code 0} otherwise. */
        boolean trueWhenNull() {
            return this == NOT_EQ || this == NOT_LIKE || this == NOT_ILIKE;
        }
    }
}
