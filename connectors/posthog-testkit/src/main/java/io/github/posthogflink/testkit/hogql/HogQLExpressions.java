package io.github.posthogflink.testkit.hogql;

import java.util.Map;

/** Questions about single HogQL expressions, as PostHog's query runners ask them. */
public final class HogQLExpressions {
    private HogQLExpressions() {}

    /**
     * One expression, optionally {@code AS alias}: whether it contains an aggregation (as PostHog's
     * {@code has_aggregation} decides which EventsQuery columns are grouped and which filters go to
     * HAVING), and its alias.
     */
    public record Info(boolean aggregate, String alias) {}

    /**
     * Parses one expression, optionally {@code AS alias}.
     *
     * @throws HogQLException when the text is not one expression
     */
    public static Info describe(String expression) throws HogQLException {
        TokenStream tokens = new TokenStream(Lexer.tokenize(expression));
        Ast.Expr expr = new ExpressionParser(tokens, Map.of()).expression();
        String alias = null;
        if (tokens.acceptKeyword("as")) {
            alias = tokens.advance().text();
        } else if (tokens.peek().type() == Token.Type.IDENTIFIER
                || tokens.peek().type() == Token.Type.QUOTED_IDENTIFIER) {
            alias = tokens.advance().text();
        }
        if (tokens.peek().type() != Token.Type.EOF) {
            throw tokens.unsupportedOrSyntax(tokens.peek());
        }
        return new Info(aggregates(expr), alias);
    }

    /** Whether the expression contains an aggregation; see {@link #describe}. */
    public static boolean hasAggregation(String expression) throws HogQLException {
        return describe(expression).aggregate();
    }

    private static boolean aggregates(Ast.Expr expr) {
        if (expr instanceof Ast.Call call) {
            return Functions.isAggregate(call.name())
                    || call.args().stream().anyMatch(HogQLExpressions::aggregates);
        }
        if (expr instanceof Ast.Not n) {
            return aggregates(n.expr());
        }
        if (expr instanceof Ast.Negate n) {
            return aggregates(n.expr());
        }
        if (expr instanceof Ast.Logical l) {
            return l.operands().stream().anyMatch(HogQLExpressions::aggregates);
        }
        if (expr instanceof Ast.Arithmetic a) {
            return aggregates(a.left()) || aggregates(a.right());
        }
        if (expr instanceof Ast.Compare c) {
            return aggregates(c.left()) || aggregates(c.right());
        }
        if (expr instanceof Ast.InList in) {
            return aggregates(in.expr())
                    || in.items().stream().anyMatch(HogQLExpressions::aggregates);
        }
        if (expr instanceof Ast.IsNull n) {
            return aggregates(n.expr());
        }
        if (expr instanceof Ast.Interval i) {
            return aggregates(i.amount());
        }
        if (expr instanceof Ast.Alias a) {
            return aggregates(a.expr());
        }
        return false;
    }
}
