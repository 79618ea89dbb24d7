package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.Ast.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recursive-descent parser for the supported HogQL subset: one SELECT over one table or over a
 * subquery in FROM. Placeholders ({@code {name}}) are replaced by constants from the values map
 * while parsing, as PostHog does, so user values never reach the SQL text as anything but typed
 * constants.
 */
final class Parser {
    private final TokenStream tokens;
    private final ExpressionParser expressions;

    private Parser(TokenStream tokens, Map<String, Object> values) {
        this.tokens = tokens;
        this.expressions = new ExpressionParser(tokens, values);
    }

    static Ast.Select parse(String hogql, Map<String, Object> values) throws HogQLException {
        if (hogql == null || hogql.isBlank()) {
            throw HogQLException.syntax("Empty query");
        }
        TokenStream tokens = new TokenStream(Lexer.tokenize(hogql));
        Ast.Select select = new Parser(tokens, values == null ? Map.of() : values).select();
        tokens.acceptOperator(";");
        if (tokens.peek().type() != Token.Type.EOF) {
            throw tokens.unsupportedOrSyntax(tokens.peek());
        }
        return select;
    }

    private Ast.Select select() throws HogQLException {
        if (tokens.peek().isKeyword("with")) {
            throw new HogQLException("Unsupported: WITH (common table expressions)");
        }
        tokens.expectKeyword("select");
        boolean distinct = tokens.acceptKeyword("distinct");
        List<Expr> columns = new ArrayList<>();
        do {
            columns.add(selectColumn());
        } while (tokens.acceptOperator(","));

        String table = null;
        String tableAlias = null;
        Ast.Select subquery = null;
        if (tokens.acceptKeyword("from")) {
            if (tokens.acceptOperator("(")) {
                subquery = select();
                tokens.expectOperator(")");
            } else {
                table = tokens.identifier("table name");
            }
            if (table != null && tokens.acceptOperator(".")) {
                throw new HogQLException(
                        "Unsupported: table " + table + "." + tokens.peek().text());
            }
            if (tokens.acceptKeyword("as")) {
                tableAlias = tokens.identifier("table alias");
            } else if (isAliasToken(tokens.peek())) {
                tableAlias = tokens.identifier("table alias");
            }
            rejectJoins();
        }
        Expr where = tokens.acceptKeyword("where") ? expressions.expression() : null;
        List<Expr> groupBy = new ArrayList<>();
        if (tokens.acceptKeyword("group")) {
            tokens.expectKeyword("by");
            do {
                groupBy.add(expressions.expression());
            } while (tokens.acceptOperator(","));
        }
        Expr having = tokens.acceptKeyword("having") ? expressions.expression() : null;
        List<Ast.OrderItem> orderBy = new ArrayList<>();
        if (tokens.acceptKeyword("order")) {
            tokens.expectKeyword("by");
            do {
                Expr expr = expressions.expression();
                boolean descending = false;
                if (tokens.acceptKeyword("desc") || tokens.acceptKeyword("descending")) {
                    descending = true;
                } else if (!tokens.acceptKeyword("asc")) {
                    tokens.acceptKeyword("ascending");
                }
                if (tokens.peek().isKeyword("nulls")) {
                    throw new HogQLException("Unsupported: NULLS FIRST/LAST in ORDER BY");
                }
                orderBy.add(new Ast.OrderItem(expr, descending));
            } while (tokens.acceptOperator(","));
        }
        Long limit = null;
        Long offset = null;
        if (tokens.acceptKeyword("limit")) {
            long first = expressions.integerConstant("LIMIT");
            if (tokens.acceptOperator(",")) {
                offset = first;
                limit = expressions.integerConstant("LIMIT");
            } else {
                limit = first;
            }
            if (tokens.peek().isKeyword("by") || tokens.peek().isKeyword("with")) {
                throw new HogQLException("Unsupported: LIMIT BY / LIMIT WITH TIES");
            }
        }
        if (tokens.acceptKeyword("offset")) {
            offset = expressions.integerConstant("OFFSET");
        }
        for (String unsupported : List.of("union", "intersect", "except", "settings", "format")) {
            if (tokens.peek().isKeyword(unsupported)) {
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
                offset,
                subquery);
    }

    private void rejectJoins() throws HogQLException {
        for (String join :
                List.of("join", "inner", "left", "right", "full", "cross", "array", "any", "all")) {
            if (tokens.peek().isKeyword(join)) {
                throw new HogQLException(
                        "Unsupported: JOIN / ARRAY JOIN; use person.properties.x on events"
                                + " instead");
            }
        }
        if (tokens.peek().isOperator(",")) {
            throw new HogQLException("Unsupported: several tables in FROM");
        }
        if (tokens.peek().isKeyword("sample") || tokens.peek().isKeyword("final")) {
            throw new HogQLException(
                    "Unsupported: " + tokens.peek().text().toUpperCase(Locale.ROOT));
        }
    }

    private Expr selectColumn() throws HogQLException {
        Expr expr = expressions.expression();
        if (tokens.acceptKeyword("as")) {
            Token token = tokens.advance();
            if (token.type() == Token.Type.IDENTIFIER
                    || token.type() == Token.Type.QUOTED_IDENTIFIER
                    || token.type() == Token.Type.STRING) {
                return new Ast.Alias(expr, token.text());
            }
            throw TokenStream.syntax(token, "an alias");
        }
        if (isAliasToken(tokens.peek())) {
            return new Ast.Alias(expr, tokens.advance().text());
        }
        return expr;
    }

    private static boolean isAliasToken(Token token) {
        return token.type() == Token.Type.QUOTED_IDENTIFIER
                || (token.type() == Token.Type.IDENTIFIER
                        && !ExpressionParser.isReserved(token.text()));
    }
}
