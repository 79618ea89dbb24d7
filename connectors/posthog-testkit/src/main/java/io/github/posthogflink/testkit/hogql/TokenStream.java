package io.github.posthogflink.testkit.hogql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A cursor over a query's tokens, with the parsers' shared look-ahead and error helpers. */
final class TokenStream {
    private final List<Token> tokens;
    private int index;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    String identifier(String what) throws HogQLException {
        Token token = advance();
        if (token.type() == Token.Type.IDENTIFIER || token.type() == Token.Type.QUOTED_IDENTIFIER) {
            return token.text();
        }
        throw syntax(token, what);
    }

    Token peek() {
        return tokens.get(index);
    }

    Token peekAt(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token advance() {
        Token token = tokens.get(index);
        if (token.type() != Token.Type.EOF) {
            index++;
        }
        return token;
    }

    boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    boolean acceptOperator(String operator) {
        if (peek().isOperator(operator)) {
            index++;
            return true;
        }
        return false;
    }

    void expectKeyword(String keyword) throws HogQLException {
        if (!acceptKeyword(keyword)) {
            throw syntax(peek(), keyword.toUpperCase(Locale.ROOT));
        }
    }

    void expectOperator(String operator) throws HogQLException {
        if (!acceptOperator(operator)) {
            throw syntax(peek(), "'" + operator + "'");
        }
    }

    HogQLException unsupportedOrSyntax(Token token) {
        String lower = token.text().toLowerCase(Locale.ROOT);
        if (token.type() == Token.Type.IDENTIFIER
                && Set.of("union", "intersect", "except", "join", "settings", "format")
                        .contains(lower)) {
            return new HogQLException("Unsupported: " + lower.toUpperCase(Locale.ROOT));
        }
        return syntax(token, "end of query");
    }

    static HogQLException syntax(Token token, String expected) {
        return HogQLException.syntax(
                "Syntax error at position "
                        + token.position()
                        + ": expected "
                        + expected
                        + ", got "
                        + token.describe());
    }
}
