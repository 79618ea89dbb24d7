package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.Ast.Expr;
import io.github.posthogflink.testkit.hogql.HType.Kind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Translates a parsed HogQL SELECT into one DuckDB statement over the testkit's tables. */
final class Translator {
    /** The DuckDB statement, and the column names and types PostHog would report. */
    record Translation(String sql, List<String> columns, List<HType> types, String hogql) {}

    private final Ast.Select select;
    private final Schema schema;
    private final Functions functions;
    private final Map<String, Sql> aliases = new HashMap<>();
    private int aggregateDepth;
    private boolean sawAggregate;

    private Translator(Ast.Select select, Schema schema, Instant now) {
        this.select = select;
        this.schema = schema;
        this.functions = new Functions(now);
    }

    static Translation translate(
            Ast.Select select,
            PropertyTypes eventProperties,
            PropertyTypes personProperties,
            PropertyTypes groupProperties,
            Instant now,
            long limit,
            long offset)
            throws HogQLException {
        Schema schema;
        if (select.subquery() != null) {
            Ast.Select inner = select.subquery();
            // PostHog limits only the outermost SELECT; a subquery keeps its own LIMIT, if any.
            Translation derived =
                    translate(
                            inner,
                            eventProperties,
                            personProperties,
                            groupProperties,
                            now,
                            inner.limit() == null ? -1 : Math.min(inner.limit(), MAX_LIMIT),
                            inner.offset() == null ? 0 : inner.offset());
            schema = new Schema(new DerivedScope(derived));
        } else {
            schema = new Schema(select.table(), eventProperties, personProperties, groupProperties);
        }
        return new Translator(select, schema, now).run(limit, offset);
    }

    private static final long MAX_LIMIT = 50_000;

    private Translation run(long limit, long offset) throws HogQLException {
        List<String> columns = new ArrayList<>();
        List<HType> types = new ArrayList<>();
        List<String> selectSql = new ArrayList<>();
        List<String> selectHogql = new ArrayList<>();
        for (Expr column : expandStar(select.columns())) {
            String alias = null;
            Expr expr = column;
            if (column instanceof Ast.Alias a) {
                alias = a.alias();
                expr = a.expr();
            }
            Sql sql = expr(expr);
            if (sql.type().kind() == Kind.INTERVAL) {
                throw new HogQLException("Unsupported: selecting an INTERVAL value");
            }
            String name = alias != null ? alias : columnName(expr, sql);
            if (alias != null) {
                aliases.put(
                        alias,
                        new Sql(
                                sql.sql(),
                                sql.type(),
                                SqlLiterals.hogqlIdentifier(alias),
                                sql.constant(),
                                sql.value()));
                selectHogql.add(sql.hogql() + " AS " + SqlLiterals.hogqlIdentifier(alias));
            } else {
                selectHogql.add(sql.hogql());
            }
            columns.add(name);
            types.add(sql.type());
            selectSql.add(readable(sql) + " AS \"c" + selectSql.size() + "\"");
        }

        StringBuilder sql = new StringBuilder("SELECT ");
        StringBuilder hogql = new StringBuilder("SELECT ");
        if (select.distinct()) {
            sql.append("DISTINCT ");
            hogql.append("DISTINCT ");
        }
        sql.append(String.join(", ", selectSql));
        hogql.append(String.join(", ", selectHogql));
        if (select.hasFrom()) {
            hogql.append(" FROM ").append(schema.table());
            if (select.tableAlias() != null) {
                hogql.append(" AS ").append(SqlLiterals.hogqlIdentifier(select.tableAlias()));
            }
        }
        StringBuilder tail = new StringBuilder();
        String whereSql = "";
        if (select.where() != null) {
            Sql where = condition(select.where(), "WHERE");
            whereSql = " WHERE " + Functions.bool(where);
            tail.append(whereSql);
            hogql.append(" WHERE ").append(where.hogql());
        }
        if (!select.groupBy().isEmpty()) {
            List<String> parts = new ArrayList<>();
            List<String> hogqlParts = new ArrayList<>();
            for (Expr expr : select.groupBy()) {
                Sql key = expr(expr);
                parts.add(key.sql());
                hogqlParts.add(key.hogql());
            }
            tail.append(" GROUP BY ").append(String.join(", ", parts));
            hogql.append(" GROUP BY ").append(String.join(", ", hogqlParts));
        }
        if (select.having() != null) {
            Sql having = condition(select.having(), "HAVING");
            tail.append(" HAVING ").append(Functions.bool(having));
            hogql.append(" HAVING ").append(having.hogql());
        }
        String orderSql = "";
        if (!select.orderBy().isEmpty()) {
            List<String> parts = new ArrayList<>();
            List<String> hogqlParts = new ArrayList<>();
            for (Ast.OrderItem item : select.orderBy()) {
                Sql key = expr(item.expr());
                String direction = item.descending() ? " DESC" : " ASC";
                parts.add(key.sql() + direction + " NULLS LAST");
                hogqlParts.add(key.hogql() + direction);
            }
            orderSql = " ORDER BY " + String.join(", ", parts);
            tail.append(orderSql);
            hogql.append(" ORDER BY ").append(String.join(", ", hogqlParts));
        }
        String limitSql =
                (limit < 0 ? "" : " LIMIT " + limit) + (offset > 0 ? " OFFSET " + offset : "");
        tail.append(limitSql);
        hogql.append(limitSql);
        // The FROM clause is built last: person fields seen anywhere above add the person join.
        String from = schema.fromClause();
        if (lateMaterialisable(orderSql)) {
            // Sort and cut on row ids first, then compute the columns of the page's rows only.
            String rowId = schema.rowIdColumn();
            sql.append(from)
                    .append(" WHERE ")
                    .append(rowId)
                    .append(" IN (SELECT ")
                    .append(rowId)
                    .append(from)
                    .append(whereSql)
                    .append(orderSql)
                    .append(limitSql)
                    .append(")")
                    .append(orderSql);
        } else {
            sql.append(from).append(tail);
        }
        return new Translation(sql.toString(), columns, types, hogql.toString());
    }

    private boolean lateMaterialisable(String orderSql) {
        return !orderSql.isEmpty()
                && schema.rowIdColumn() != null
                && !select.distinct()
                && select.groupBy().isEmpty()
                && select.having() == null
                && !sawAggregate;
    }

    private List<Expr> expandStar(List<Expr> columns) throws HogQLException {
        List<Expr> expanded = new ArrayList<>();
        for (Expr column : columns) {
            boolean star =
                    column instanceof Ast.Star
                            || (column instanceof Ast.Field f
                                    && f.chain().size() == 2
                                    && f.chain().get(1).equals("*")
                                    && isTableReference(f.chain().get(0)));
            if (!star) {
                expanded.add(column);
                continue;
            }
            if (!select.hasFrom()) {
                throw new HogQLException("SELECT * needs a FROM clause");
            }
            for (String name : schema.starColumns()) {
                expanded.add(new Ast.Field(List.of(name)));
            }
        }
        return expanded;
    }

    private Sql condition(Expr expr, String clause) throws HogQLException {
        Sql sql = expr(expr);
        if (sql.type().kind() == Kind.STRING
                || sql.type().kind() == Kind.DATETIME
                || sql.type().kind() == Kind.UUID) {
            throw new HogQLException(
                    "Illegal type "
                            + sql.type().clickhouseName()
                            + " of column for filter in "
                            + clause
                            + ": "
                            + sql.hogql());
        }
        return sql;
    }

    /** PostHog names a column by its alias, by its field name, or else by its HogQL print. */
    private static String columnName(Expr expr, Sql sql) {
        if (expr instanceof Ast.Field field) {
            List<String> chain = field.chain();
            int properties = chain.indexOf("properties");
            if (properties < 0) {
                return chain.get(chain.size() - 1);
            }
        }
        return sql.hogql();
    }

    /** Wraps an output column so JDBC hands back a value that converts losslessly. */
    private static String readable(Sql sql) {
        return switch (sql.type().kind()) {
            case DATETIME -> "epoch_us(" + sql.sql() + ")";
            case DATE, UUID -> "CAST(" + sql.sql() + " AS VARCHAR)";
            case PREDICATE -> "CAST(" + sql.sql() + " AS INTEGER)";
            default -> sql.sql();
        };
    }

    private boolean isTableReference(String name) {
        return name.equals(select.tableAlias())
                || (select.tableAlias() == null
                        && name.equalsIgnoreCase(String.valueOf(select.table())));
    }

    Sql expr(Expr expr) throws HogQLException {
        if (expr instanceof Ast.Constant c) {
            return constant(c.value());
        }
        if (expr instanceof Ast.Field f) {
            return field(f.chain());
        }
        if (expr instanceof Ast.Call call) {
            return call(call);
        }
        if (expr instanceof Ast.Compare cmp) {
            return Comparisons.compare(cmp.op(), expr(cmp.left()), expr(cmp.right()));
        }
        if (expr instanceof Ast.InList in) {
            List<Sql> items = new ArrayList<>();
            for (Expr item : in.items()) {
                items.add(expr(item));
            }
            return Comparisons.in(expr(in.expr()), items, in.negated());
        }
        if (expr instanceof Ast.IsNull isNull) {
            Sql inner = expr(isNull.expr());
            return Comparisons.predicate(
                    "(" + inner.sql() + (isNull.negated() ? " IS NOT NULL)" : " IS NULL)"),
                    (isNull.negated() ? "isNotNull(" : "isNull(") + inner.hogql() + ")");
        }
        if (expr instanceof Ast.Logical logical) {
            List<String> parts = new ArrayList<>();
            List<String> hogqlParts = new ArrayList<>();
            for (Expr operand : logical.operands()) {
                Sql sql = expr(operand);
                parts.add(Functions.bool(sql));
                hogqlParts.add(sql.hogql());
            }
            String op = logical.and() ? " AND " : " OR ";
            return Comparisons.predicate(
                    "(" + String.join(op, parts) + ")",
                    (logical.and() ? "and(" : "or(") + String.join(", ", hogqlParts) + ")");
        }
        if (expr instanceof Ast.Not not) {
            Sql inner = expr(not.expr());
            return Comparisons.predicate(
                    "(NOT " + Functions.bool(inner) + ")", "not(" + inner.hogql() + ")");
        }
        if (expr instanceof Ast.Negate negate) {
            Sql inner = expr(negate.expr());
            if (!inner.type().isNumeric()) {
                throw new HogQLException(
                        "Illegal type "
                                + inner.type().clickhouseName()
                                + " of argument of function negate");
            }
            return Sql.expr("(-" + inner.sql() + ")", inner.type(), "-" + inner.hogql());
        }
        if (expr instanceof Ast.Arithmetic arithmetic) {
            return Arithmetic.apply(
                    arithmetic.op(), expr(arithmetic.left()), expr(arithmetic.right()));
        }
        if (expr instanceof Ast.Interval interval) {
            return Arithmetic.interval(expr(interval.amount()), interval.unit());
        }
        if (expr instanceof Ast.Alias alias) {
            throw new HogQLException(
                    "Unsupported: alias '" + alias.alias() + "' outside the SELECT list");
        }
        throw new HogQLException(
                "Unsupported: '*' is only allowed as a SELECT column or in count(*)");
    }

    private Sql call(Ast.Call call) throws HogQLException {
        boolean aggregate = Functions.isAggregate(call.name());
        if (aggregate && aggregateDepth > 0) {
            throw new HogQLException(
                    "Aggregation '"
                            + call.name()
                            + "' cannot be nested inside another aggregation");
        }
        List<Sql> args = new ArrayList<>();
        if (aggregate) {
            aggregateDepth++;
            sawAggregate = true;
        }
        try {
            for (Expr arg : call.args()) {
                if (arg instanceof Ast.Star) {
                    if (!Functions.normalise(call.name()).equals("count")
                            || call.args().size() != 1) {
                        throw new HogQLException(
                                "Unsupported: '*' as an argument of " + call.name());
                    }
                    continue;
                }
                args.add(expr(arg));
            }
        } finally {
            if (aggregate) {
                aggregateDepth--;
            }
        }
        return functions.call(call.name(), args, call.distinct());
    }

    private Sql field(List<String> chain) throws HogQLException {
        String hogql = String.join(".", chain.stream().map(SqlLiterals::hogqlIdentifier).toList());
        if (chain.size() == 1 && aliases.containsKey(chain.get(0))) {
            return aliases.get(chain.get(0));
        }
        List<String> rest = chain;
        if (chain.size() > 1 && isTableReference(chain.get(0))) {
            rest = chain.subList(1, chain.size());
        }
        if (rest.contains("*")) {
            throw new HogQLException("Unsupported: '*' in " + hogql);
        }
        return schema.resolve(rest, hogql);
    }

    private static Sql constant(Object value) throws HogQLException {
        String hogql = SqlLiterals.hogqlConstant(value);
        if (value == null) {
            return new Sql("NULL", HType.NULL, hogql, true, null);
        }
        if (value instanceof Long l) {
            return new Sql(l.toString(), HType.forIntegerLiteral(l), hogql, true, value);
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new HogQLException("Unsupported: non-finite number " + d);
            }
            return new Sql("CAST(" + d + " AS DOUBLE)", HType.FLOAT64, hogql, true, value);
        }
        if (value instanceof Boolean b) {
            return new Sql(b ? "TRUE" : "FALSE", HType.BOOL, b ? "true" : "false", true, value);
        }
        return new Sql(SqlLiterals.string((String) value), HType.STRING, hogql, true, value);
    }
}
