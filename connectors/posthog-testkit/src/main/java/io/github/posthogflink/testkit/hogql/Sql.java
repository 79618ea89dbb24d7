package io.github.posthogflink.testkit.hogql;

/**
 * A translated expression: DuckDB SQL text, its type, its HogQL print (for column names and the
 * {@code hogql} field), and the constant value when the expression is a literal.
 */
record Sql(String sql, HType type, String hogql, boolean constant, Object value) {
    static Sql expr(String sql, HType type, String hogql) {
        return new Sql(sql, type, hogql, false, null);
    }

    boolean isNullConstant() {
        return constant && value == null;
    }

    boolean isStringConstant() {
        return constant && value instanceof String;
    }
}
