package io.github.posthogflink.testkit.hogql;

import java.util.ArrayList;
import java.util.List;

/** Splits a HogQL query into tokens, following the lexical rules of PostHog's HogQL grammar. */
final class Lexer {
    private static final String[] OPERATORS = {
        "==", "!=", "<>", "<=", ">=", "||", "=~", "!~", "=", "<", ">", "+", "-", "*", "/", "%", "(",
        ")", ",", ".", ";", "[", "]", "?", ":"
    };

    private final String input;
    private int pos;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> tokenize(String input) throws HogQLException {
        return new Lexer(input).run();
    }

    private List<Token> run() throws HogQLException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespaceAndComments();
            if (pos >= input.length()) {
                tokens.add(new Token(Token.Type.EOF, "", pos));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipWhitespaceAndComments() throws HogQLException {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (input.startsWith("--", pos)) {
                int end = input.indexOf('\n', pos);
                pos = end < 0 ? input.length() : end + 1;
            } else if (input.startsWith("/*", pos)) {
                int end = input.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw HogQLException.syntax(
                            "Syntax error at position " + pos + ": unclosed comment");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private Token next() throws HogQLException {
        int start = pos;
        char c = input.charAt(pos);
        if (c == '\'') {
            return new Token(Token.Type.STRING, quoted('\''), start);
        }
        if (c == '`' || c == '"') {
            return new Token(Token.Type.QUOTED_IDENTIFIER, quoted(c), start);
        }
        if (c == '{') {
            int end = input.indexOf('}', pos);
            if (end < 0) {
                throw HogQLException.syntax(
                        "Syntax error at position " + pos + ": unclosed placeholder");
            }
            String name = input.substring(pos + 1, end).trim();
            pos = end + 1;
            return new Token(Token.Type.PLACEHOLDER, name, start);
        }
        if (Character.isDigit(c)
                || (c == '.'
                        && pos + 1 < input.length()
                        && Character.isDigit(input.charAt(pos + 1)))) {
            return number(start);
        }
        if (isIdentifierStart(c)) {
            while (pos < input.length() && isIdentifierPart(input.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Type.IDENTIFIER, input.substring(start, pos), start);
        }
        for (String op : OPERATORS) {
            if (input.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Token.Type.OPERATOR, op, start);
            }
        }
        throw HogQLException.syntax(
                "Syntax error at position " + pos + ": unexpected character '" + c + "'");
    }

    private Token number(int start) {
        while (pos < input.length() && (Character.isDigit(input.charAt(pos)))) {
            pos++;
        }
        if (pos < input.length()
                && input.charAt(pos) == '.'
                && !(pos + 1 < input.length() && isIdentifierStart(input.charAt(pos + 1)))) {
            pos++;
            while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                pos++;
            }
        }
        if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return new Token(Token.Type.NUMBER, input.substring(start, pos), start);
    }

    /** Reads a quoted string or identifier: doubled quotes and backslash escapes are unescaped. */
    private String quoted(char quote) throws HogQLException {
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == '\\' && pos + 1 < input.length()) {
                out.append(unescape(input.charAt(pos + 1)));
                pos += 2;
            } else if (c == quote) {
                if (pos + 1 < input.length() && input.charAt(pos + 1) == quote) {
                    out.append(quote);
                    pos += 2;
                } else {
                    pos++;
                    return out.toString();
                }
            } else {
                out.append(c);
                pos++;
            }
        }
        throw HogQLException.syntax(
                "Syntax error at position " + start + ": unterminated " + quote + "-quoted text");
    }

    private static String unescape(char c) {
        return switch (c) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case '0' -> "\0";
            case 'a' -> "\u0007";
            case 'v' -> "\u000B";
            default -> String.valueOf(c);
        };
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
