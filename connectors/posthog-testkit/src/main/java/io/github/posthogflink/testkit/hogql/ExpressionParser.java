package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.Ast.CompareOp;
import io.github.posthogflink.testkit.hogql.Ast.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses HogQL expressions with ClickHouse's precedence (OR, AND, NOT, comparisons, + - ||, * / %,
 * unary minus). Placeholders become typed constants from the values map as they are read.
 */
final class ExpressionParser {
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

    private final TokenStream tokens;
    private final Map<String, Object> values;

    ExpressionParser(TokenStream tokens, Map<String, Object> values) {
        this.tokens = tokens;
        this.values = values;
    }

    static boolean isReserved(String word) {
        return RESERVED.contains(word.toLowerCase(Locale.ROOT));
    }

    Expr expression() throws HogQLException {
        Expr left = andExpression();
        if (!tokens.peek().isKeyword("or")) {
            return left;
        }
        List<Expr> operands = new ArrayList<>(List.of(left));
        while (tokens.acceptKeyword("or")) {
            operands.add(andExpression());
        }
        return new Ast.Logical(false, operands);
    }

    private Expr andExpression() throws HogQLException {
        Expr left = notExpression();
        if (!tokens.peek().isKeyword("and")) {
            return left;
        }
        List<Expr> operands = new ArrayList<>(List.of(left));
        while (tokens.acceptKeyword("and")) {
            operands.add(notExpression());
        }
        return new Ast.Logical(true, operands);
    }

    private Expr notExpression() throws HogQLException {
        if (tokens.acceptKeyword("not")) {
            return new Ast.Not(notExpression());
        }
        return comparison();
    }

    private Expr comparison() throws HogQLException {
        Expr left = additive();
        Token token = tokens.peek();
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
                tokens.advance();
                return new Ast.Compare(op, left, additive());
            }
            return left;
        }
        boolean negated = false;
        if (token.isKeyword("not")
                && (tokens.peekAt(1).isKeyword("like")
                        || tokens.peekAt(1).isKeyword("ilike")
                        || tokens.peekAt(1).isKeyword("in")
                        || tokens.peekAt(1).isKeyword("between"))) {
            tokens.advance();
            negated = true;
        }
        if (tokens.acceptKeyword("like")) {
            return new Ast.Compare(negated ? CompareOp.NOT_LIKE : CompareOp.LIKE, left, additive());
        }
        if (tokens.acceptKeyword("ilike")) {
            return new Ast.Compare(
                    negated ? CompareOp.NOT_ILIKE : CompareOp.ILIKE, left, additive());
        }
        if (tokens.acceptKeyword("in")) {
            return new Ast.InList(left, inItems(), negated);
        }
        if (tokens.acceptKeyword("between")) {
            Expr low = additive();
            tokens.expectKeyword("and");
            Expr high = additive();
            Expr between =
                    new Ast.Logical(
                            true,
                            List.of(
                                    new Ast.Compare(CompareOp.GT_EQ, left, low),
                                    new Ast.Compare(CompareOp.LT_EQ, left, high)));
            return negated ? new Ast.Not(between) : between;
        }
        if (tokens.acceptKeyword("is")) {
            boolean not = tokens.acceptKeyword("not");
            tokens.expectKeyword("null");
            return new Ast.IsNull(left, not);
        }
        return left;
    }

    private List<Expr> inItems() throws HogQLException {
        if (tokens.peek().type() == Token.Type.PLACEHOLDER) {
            Token token = tokens.advance();
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
        tokens.expectOperator("(");
        if (tokens.peek().isKeyword("select")) {
            throw new HogQLException("Unsupported: IN (subquery)");
        }
        List<Expr> items = new ArrayList<>();
        if (!tokens.peek().isOperator(")")) {
            do {
                items.add(expression());
            } while (tokens.acceptOperator(","));
        }
        tokens.expectOperator(")");
        return items;
    }

    private Expr additive() throws HogQLException {
        Expr left = multiplicative();
        while (tokens.peek().isOperator("+")
                || tokens.peek().isOperator("-")
                || tokens.peek().isOperator("||")) {
            String op = tokens.advance().text();
            left = new Ast.Arithmetic(op, left, multiplicative());
        }
        return left;
    }

    private Expr multiplicative() throws HogQLException {
        Expr left = unary();
        while (tokens.peek().isOperator("*")
                || tokens.peek().isOperator("/")
                || tokens.peek().isOperator("%")) {
            String op = tokens.advance().text();
            left = new Ast.Arithmetic(op, left, unary());
        }
        return left;
    }

    private Expr unary() throws HogQLException {
        if (tokens.acceptOperator("-")) {
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
        Token token = tokens.advance();
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
                    if (tokens.peek().isKeyword("select")) {
                        throw new HogQLException("Unsupported: subqueries");
                    }
                    Expr inner = expression();
                    if (tokens.peek().isOperator(",")) {
                        throw new HogQLException("Unsupported: tuples");
                    }
                    tokens.expectOperator(")");
                    return inner;
                }
                if (token.text().equals("*")) {
                    return new Ast.Star();
                }
                if (token.text().equals("[")) {
                    throw new HogQLException("Unsupported: array literals");
                }
                throw TokenStream.syntax(token, "an expression");
            case QUOTED_IDENTIFIER:
                return fieldChain(token.text());
            case IDENTIFIER:
                return identifierExpression(token);
            default:
                throw TokenStream.syntax(token, "an expression");
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
        if (RESERVED.contains(lower) && !tokens.peek().isOperator("(")) {
            throw TokenStream.syntax(token, "an expression");
        }
        if (tokens.peek().isOperator("(")) {
            tokens.advance();
            return call(token.text());
        }
        return fieldChain(token.text());
    }

    private Expr interval() throws HogQLException {
        Expr amount = additive();
        Token unitToken = tokens.advance();
        String unit = unitToken.text().toLowerCase(Locale.ROOT);
        if (unit.endsWith("s")) {
            unit = unit.substring(0, unit.length() - 1);
        }
        if (unitToken.type() != Token.Type.IDENTIFIER || !INTERVAL_UNITS.contains(unit)) {
            throw TokenStream.syntax(
                    unitToken, "an interval unit (SECOND, MINUTE, HOUR, DAY, WEEK, MONTH...)");
        }
        return new Ast.Interval(amount, unit);
    }

    private Expr call(String name) throws HogQLException {
        boolean distinct = tokens.acceptKeyword("distinct");
        List<Expr> args = new ArrayList<>();
        if (!tokens.peek().isOperator(")")) {
            do {
                args.add(expression());
            } while (tokens.acceptOperator(","));
        }
        tokens.expectOperator(")");
        if (tokens.peek().isOperator("(")) {
            throw new HogQLException("Unsupported: parametric function " + name + "(...)(...)");
        }
        if (tokens.peek().isKeyword("over")) {
            throw new HogQLException("Unsupported: window functions (OVER)");
        }
        return new Ast.Call(name, args, distinct);
    }

    private Expr fieldChain(String first) throws HogQLException {
        List<String> chain = new ArrayList<>(List.of(first));
        while (tokens.acceptOperator(".")) {
            Token part = tokens.advance();
            if (part.type() == Token.Type.IDENTIFIER
                    || part.type() == Token.Type.QUOTED_IDENTIFIER
                    || part.type() == Token.Type.NUMBER) {
                chain.add(part.text());
            } else if (part.isOperator("*")) {
                chain.add("*");
            } else {
                throw TokenStream.syntax(part, "a field name after '.'");
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

    long integerConstant(String clause) throws HogQLException {
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
}
