package io.github.posthogflink.testkit.hogql;

/** One lexical token of a HogQL query; {@code text} is the unescaped value for strings. */
record Token(Type type, String text, int position) {
    enum Type {
        IDENTIFIER,
        QUOTED_IDENTIFIER,
        STRING,
        NUMBER,
        OPERATOR,
        PLACEHOLDER,
        EOF
    }

    boolean isKeyword(String keyword) {
        return type == Type.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    boolean isOperator(String operator) {
        return type == Type.OPERATOR && text.equals(operator);
    }

    String describe() {
        return switch (type) {
            case EOF -> "end of query";
            case STRING -> "string '" + text + "'";
            case PLACEHOLDER -> "placeholder {" + text + "}";
            default -> "'" + text + "'";
        };
    }
}
