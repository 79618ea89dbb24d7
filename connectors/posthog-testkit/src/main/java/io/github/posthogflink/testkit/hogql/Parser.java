package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.Ast.CompareOp;
import io.github.posthogflink.testkit.hogql.Ast.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for the supported HogQL subset. Placeholders ({@code {name}}) are
 * replaced by constants from the values map while parsing, as PostHog does, so user values never
 * reach the SQL text as anything but typed constants.
 */
final class Parser {
    private static final Set<String> RESERVED =
            Set.of(
                    "select",
                    "from",
                    "where",
                    "group",
                    "by",
                    "having",
                    "order",
                    "limit",
                    "offset",
                    "as",
                    "and",
                    "or",
                    "not",
                    "like",
                    "ilike",
                    "in",
                    "is",
                    "null",
                    "asc",
                    "desc",
                    "ascending",
                    "descending",
                    "join",
                    "inner",
                    "left",
                    "right",
                    "full",
                    "cross",
                    "on",
                    "using",
                    "union",
                    "intersect",
                    "except",
                    "with",
                    "distinct",
                    "between",
                    "interval",
                    "array",
                    "prewhere",
                    "window",
                    "qualify",
                    "settings",
                    "format",
                    "sample",
                    "final",
                    "global",
                    "nulls",
                    "case",
                    "when",
                    "then",
                    "else",
                    "end",
                    "all",
                    "any",
                    "semi",
                    "anti",
                    "outer",
                    "into");
    private static final Set<String> INTERVAL_UNITS =
            Set.of("second", "minute", "hour", "day", "week", "month", "quarter", "year");

    private final List<Token> tokens;
    private final Map<String, Object> values;
    private int index;

    private Parser(List<Token> tokens, Map<String, Object> values) {
        this.tokens = tokens;
        this.values = values;
    }

    static Ast.Select parse(String hogql, Map<String, Object> values) throws HogQLException {
        if (hogql == null || hogql.isBlank()) {
            throw new HogQLException("Empty query");
        }
        Parser parser = new Parser(Lexer.tokenize(hogql), values == null ? Map.of() : values);
        Ast.Select select = parser.select();
        if (parser.peek().isOperator(";")) {
            parser.index++;
        }
        if (parser.peek().type() != Token.Type.EOF) {
            throw parser.unsupportedOrSyntax(parser.peek());
        }
        return select;
    }

    private Ast.Select select() throws HogQLException {
        if (peek().isKeyword("with")) {
            throw new HogQLException("Unsupported: WITH (common table expressions)");
        }
        expectKeyword("select");
        boolean distinct = acceptKeyword("distinct");
        List<Expr> columns = new ArrayList<>();
        do {
            columns.add(selectColumn());
        } while (acceptOperator(","));

        String table = null;
        String tableAlias = null;
        if (acceptKeyword("from")) {
            if (peek().isOperator("(")) {
                throw new HogQLException("Unsupported: subqueries in FROM");
            }
            table = identifier("table name");
            if (acceptOperator(".")) {
                throw new HogQLException("Unsupported: table " + table + "." + peek().text());
            }
            if (acceptKeyword("as")) {
                tableAlias = identifier("table alias");
            } else if (isAliasToken(peek())) {
                tableAlias = identifier("table alias");
            }
            rejectJoins();
        }
        Expr where = acceptKeyword("where") ? expression() : null;
        List<Expr> groupBy = new ArrayList<>();
        if (acceptKeyword("group")) {
            expectKeyword("by");
            do {
                groupBy.add(expression());
            } while (acceptOperator(","));
        }
        Expr having = acceptKeyword("having") ? expression() : null;
        List<Ast.OrderItem> orderBy = new ArrayList<>();
        if (acceptKeyword("order")) {
            expectKeyword("by");
            do {
                Expr expr = expression();
                boolean descending = false;
                if (acceptKeyword("desc") || acceptKeyword("descending")) {
                    descending = true;
                } else if (!acceptKeyword("asc")) {
                    acceptKeyword("ascending");
                }
                if (peek().isKeyword("nulls")) {
                    throw new HogQLException("Unsupported: NULLS FIRST/LAST in ORDER BY");
                }
                orderBy.add(new Ast.OrderItem(expr, descending));
            } while (acceptOperator(","));
        }
        Long limit = null;
        Long offset = null;
        if (acceptKeyword("limit")) {
            long first = integerConstant("LIMIT");
            if (acceptOperator(",")) {
                offset = first;
                limit = integerConstant("LIMIT");
            } else {
                limit = first;
            }
            if (peek().isKeyword("by") || peek().isKeyword("with")) {
                throw new HogQLException("Unsupported: LIMIT BY / LIMIT WITH TIES");
            }
        }
        if (acceptKeyword("offset")) {
            offset = integerConstant("OFFSET");
        }
        for (String unsupported : List.of("union", "intersect", "except", "settings", "format")) {
            if (peek().isKeyword(unsupported)) {
                throw new HogQLException("Unsupported: " + unsupported.toUpperCase(Locale.ROOT));
            }
        }
        return new Ast.Select(
                distinct,
                columns,
                table,
                tableAlias,
                where,
                groupBy,
                having,
                orderBy,
                limit,
                offset);
    }

    private void rejectJoins() throws HogQLException {
        for (String join :
                List.of("join", "inner", "left", "right", "full", "cross", "array", "any", "all")) {
            if (peek().isKeyword(join)) {
                throw new HogQLException(
                        "Unsupported: JOIN / ARRAY JOIN; use person.properties.x on events"
                                + " instead");
            }
        }
        if (peek().isOperator(",")) {
            throw new HogQLException("Unsupported: several tables in FROM");
        }
        if (peek().isKeyword("sample") || peek().isKeyword("final")) {
            throw new HogQLException("Unsupported: " + peek().text().toUpperCase(Locale.ROOT));
        }
    }

    private Expr selectColumn() throws HogQLException {
        Expr expr = expression();
        if (acceptKeyword("as")) {
            Token token = advance();
            if (token.type() == Token.Type.IDENTIFIER
                    || token.type() == Token.Type.QUOTED_IDENTIFIER
                    || token.type() == Token.Type.STRING) {
                return new Ast.Alias(expr, token.text());
            }
            throw syntax(token, "an alias");
        }
        if (isAliasToken(peek())) {
            return new Ast.Alias(expr, advance().text());
        }
        return expr;
    }

    private static boolean isAliasToken(Token token) {
        return token.type() == Token.Type.QUOTED_IDENTIFIER
                || (token.type() == Token.Type.IDENTIFIER
                        && !RESERVED.contains(token.text().toLowerCase(Locale.ROOT)));
    }

    Expr expression() throws HogQLException {
        Expr left = andExpression();
        if (!peek().isKeyword("or")) {
            return left;
        }
        List<Expr> operands = new ArrayList<>(List.of(left));
        while (acceptKeyword("or")) {
            operands.add(andExpression());
        }
        return new Ast.Logical(false, operands);
    }

    private Expr andExpression() throws HogQLException {
        Expr left = notExpression();
        if (!peek().isKeyword("and")) {
            return left;
        }
        List<Expr> operands = new ArrayList<>(List.of(left));
        while (acceptKeyword("and")) {
            operands.add(notExpression());
        }
        return new Ast.Logical(true, operands);
    }

    private Expr notExpression() throws HogQLException {
        if (acceptKeyword("not")) {
            return new Ast.Not(notExpression());
        }
        return comparison();
    }

    private Expr comparison() throws HogQLException {
        Expr left = additive();
        Token token = peek();
        if (token.type() == Token.Type.OPERATOR) {
            CompareOp op =
                    switch (token.text()) {
                        case "=", "==" -> CompareOp.EQ;
                        case "!=", "<>" -> CompareOp.NOT_EQ;
                        case "<" -> CompareOp.LT;
                        case "<=" -> CompareOp.LT_EQ;
                        case ">" -> CompareOp.GT;
                        case ">=" -> CompareOp.GT_EQ;
                        case "=~", "!~" ->
                                throw new HogQLException("Unsupported: regex operators =~ and !~");
                        default -> null;
                    };
            if (op != null) {
                index++;
                return new Ast.Compare(op, left, additive());
            }
            return left;
        }
        boolean negated = false;
        if (token.isKeyword("not")
                && (peekAt(1).isKeyword("like")
                        || peekAt(1).isKeyword("ilike")
                        || peekAt(1).isKeyword("in")
                        || peekAt(1).isKeyword("between"))) {
            index++;
            negated = true;
        }
        if (acceptKeyword("like")) {
            return new Ast.Compare(negated ? CompareOp.NOT_LIKE : CompareOp.LIKE, left, additive());
        }
        if (acceptKeyword("ilike")) {
            return new Ast.Compare(
                    negated ? CompareOp.NOT_ILIKE : CompareOp.ILIKE, left, additive());
        }
        if (acceptKeyword("in")) {
            return new Ast.InList(left, inItems(), negated);
        }
        if (acceptKeyword("between")) {
            Expr low = additive();
            expectKeyword("and");
            Expr high = additive();
            Expr between =
                    new Ast.Logical(
                            true,
                            List.of(
                                    new Ast.Compare(CompareOp.GT_EQ, left, low),
                                    new Ast.Compare(CompareOp.LT_EQ, left, high)));
            return negated ? new Ast.Not(between) : between;
        }
        if (acceptKeyword("is")) {
            boolean not = acceptKeyword("not");
            expectKeyword("null");
            return new Ast.IsNull(left, not);
        }
        return left;
    }

    private List<Expr> inItems() throws HogQLException {
        if (peek().type() == Token.Type.PLACEHOLDER) {
            Token token = advance();
            Object value = placeholderValue(token);
            List<Expr> items = new ArrayList<>();
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    items.add(new Ast.Constant(PlaceholderValues.scalar(token.text(), item)));
                }
            } else {
                items.add(new Ast.Constant(PlaceholderValues.scalar(token.text(), value)));
            }
            return items;
        }
        expectOperator("(");
        if (peek().isKeyword("select")) {
            throw new HogQLException("Unsupported: IN (subquery)");
        }
        List<Expr> items = new ArrayList<>();
        if (!peek().isOperator(")")) {
            do {
                items.add(expression());
            } while (acceptOperator(","));
        }
        expectOperator(")");
        return items;
    }

    private Expr additive() throws HogQLException {
        Expr left = multiplicative();
        while (peek().isOperator("+") || peek().isOperator("-") || peek().isOperator("||")) {
            String op = advance().text();
            left = new Ast.Arithmetic(op, left, multiplicative());
        }
        return left;
    }

    private Expr multiplicative() throws HogQLException {
        Expr left = unary();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("%")) {
            String op = advance().text();
            left = new Ast.Arithmetic(op, left, unary());
        }
        return left;
    }

    private Expr unary() throws HogQLException {
        if (acceptOperator("-")) {
            Expr inner = unary();
            if (inner instanceof Ast.Constant c && c.value() instanceof Long l) {
                return new Ast.Constant(-l);
            }
            if (inner instanceof Ast.Constant c && c.value() instanceof Double d) {
                return new Ast.Constant(-d);
            }
            return new Ast.Negate(inner);
        }
        return primary();
    }

    private Expr primary() throws HogQLException {
        Token token = advance();
        switch (token.type()) {
            case NUMBER:
                return new Ast.Constant(number(token));
            case STRING:
                return new Ast.Constant(token.text());
            case PLACEHOLDER:
                return new Ast.Constant(
                        PlaceholderValues.scalar(token.text(), placeholderValue(token)));
            case OPERATOR:
                if (token.text().equals("(")) {
                    if (peek().isKeyword("select")) {
                        throw new HogQLException("Unsupported: subqueries");
                    }
                    Expr inner = expression();
                    if (peek().isOperator(",")) {
                        throw new HogQLException("Unsupported: tuples");
                    }
                    expectOperator(")");
                    return inner;
                }
                if (token.text().equals("*")) {
                    return new Ast.Star();
                }
                if (token.text().equals("[")) {
                    throw new HogQLException("Unsupported: array literals");
                }
                throw syntax(token, "an expression");
            case QUOTED_IDENTIFIER:
                return fieldChain(token.text());
            case IDENTIFIER:
                return identifierExpression(token);
            default:
                throw syntax(token, "an expression");
        }
    }

    private Expr identifierExpression(Token token) throws HogQLException {
        String lower = token.text().toLowerCase(Locale.ROOT);
        switch (lower) {
            case "true":
                return new Ast.Constant(Boolean.TRUE);
            case "false":
                return new Ast.Constant(Boolean.FALSE);
            case "null":
                return new Ast.Constant(null);
            case "interval":
                return interval();
            case "case":
                throw new HogQLException("Unsupported: CASE expressions; use if(cond, a, b)");
            case "select":
                throw new HogQLException("Unsupported: subqueries");
            default:
                break;
        }
        if (RESERVED.contains(lower) && !peek().isOperator("(")) {
            throw syntax(token, "an expression");
        }
        if (peek().isOperator("(")) {
            index++;
            return call(token.text());
        }
        return fieldChain(token.text());
    }

    private Expr interval() throws HogQLException {
        Expr amount = additive();
        Token unitToken = advance();
        String unit = unitToken.text().toLowerCase(Locale.ROOT);
        if (unit.endsWith("s")) {
            unit = unit.substring(0, unit.length() - 1);
        }
        if (unitToken.type() != Token.Type.IDENTIFIER || !INTERVAL_UNITS.contains(unit)) {
            throw syntax(unitToken, "an interval unit (SECOND, MINUTE, HOUR, DAY, WEEK, MONTH...)");
        }
        return new Ast.Interval(amount, unit);
    }

    private Expr call(String name) throws HogQLException {
        boolean distinct = acceptKeyword("distinct");
        List<Expr> args = new ArrayList<>();
        if (!peek().isOperator(")")) {
            do {
                args.add(expression());
            } while (acceptOperator(","));
        }
        expectOperator(")");
        if (peek().isOperator("(")) {
            throw new HogQLException("Unsupported: parametric function " + name + "(...)(...)");
        }
        if (peek().isKeyword("over")) {
            throw new HogQLException("Unsupported: window functions (OVER)");
        }
        return new Ast.Call(name, args, distinct);
    }

    private Expr fieldChain(String first) throws HogQLException {
        List<String> chain = new ArrayList<>(List.of(first));
        while (acceptOperator(".")) {
            Token part = advance();
            if (part.type() == Token.Type.IDENTIFIER
                    || part.type() == Token.Type.QUOTED_IDENTIFIER
                    || part.type() == Token.Type.NUMBER) {
                chain.add(part.text());
            } else if (part.isOperator("*")) {
                chain.add("*");
            } else {
                throw syntax(part, "a field name after '.'");
            }
        }
        return new Ast.Field(chain);
    }

    private Object number(Token token) throws HogQLException {
        String text = token.text();
        try {
            if (text.contains(".") || text.contains("e") || text.contains("E")) {
                return Double.parseDouble(text);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new HogQLException("Number out of range: " + text);
        }
    }

    private long integerConstant(String clause) throws HogQLException {
        Expr expr = unary();
        if (expr instanceof Ast.Constant c && c.value() instanceof Long l && l >= 0) {
            return l;
        }
        throw new HogQLException(clause + " must be a non-negative integer constant");
    }

    private Object placeholderValue(Token token) throws HogQLException {
        String name = token.text();
        if (!values.containsKey(name)) {
            throw new HogQLException(
                    "Placeholder {"
                            + name
                            + "} is not available in this context. You can use the following: "
                            + String.join(", ", values.keySet().stream().sorted().toList()));
        }
        return values.get(name);
    }

    private String identifier(String what) throws HogQLException {
        Token token = advance();
        if (token.type() == Token.Type.IDENTIFIER || token.type() == Token.Type.QUOTED_IDENTIFIER) {
            return token.text();
        }
        throw syntax(token, what);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token token = tokens.get(index);
        if (token.type() != Token.Type.EOF) {
            index++;
        }
        return token;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptOperator(String operator) {
        if (peek().isOperator(operator)) {
            index++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) throws HogQLException {
        if (!acceptKeyword(keyword)) {
            throw syntax(peek(), keyword.toUpperCase(Locale.ROOT));
        }
    }

    private void expectOperator(String operator) throws HogQLException {
        if (!acceptOperator(operator)) {
            throw syntax(peek(), "'" + operator + "'");
        }
    }

    private HogQLException unsupportedOrSyntax(Token token) {
        String lower = token.text().toLowerCase(Locale.ROOT);
        if (token.type() == Token.Type.IDENTIFIER
                && Set.of("union", "intersect", "except", "join", "settings", "format")
                        .contains(lower)) {
            return new HogQLException("Unsupported: " + lower.toUpperCase(Locale.ROOT));
        }
        return syntax(token, "end of query");
    }

    private static HogQLException syntax(Token token, String expected) {
        return new HogQLException(
                "Syntax error at position "
                        + token.position()
                        + ": expected "
                        + expected
                        + ", got "
                        + token.describe());
    }
}
