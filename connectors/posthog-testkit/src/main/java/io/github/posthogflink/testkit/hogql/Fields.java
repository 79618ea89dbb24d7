package io.github.posthogflink.testkit.hogql;

import java.util.List;

/** How HogQL fields map onto DuckDB expressions; shared by the tables. */
final class Fields {
    private Fields() {}

    /** A plain column: no sub-fields. */
    static Sql column(String sql, HType type, String hogql, List<String> rest)
            throws HogQLException {
        if (!rest.isEmpty()) {
            throw new HogQLException(
                    "Unable to resolve field: "
                            + hogql
                            + " ("
                            + type.baseName()
                            + " has no fields)");
        }
        return Sql.expr(sql, type, hogql);
    }

    static HogQLException unknown(String name) {
        return new HogQLException("Unable to resolve field: " + name);
    }

    /**
     * The raw text of a JSON property, as PostHog prints property access: {@code
     * replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'a', 'b'), ''), 'null'), '^"|"$',
     * '')}, a nullable string. The quotes of a JSON string are its first and last characters;
     * nothing else starts with one.
     */
    static String rawProperty(String column, List<String> keys) throws HogQLException {
        StringBuilder path = new StringBuilder("$");
        for (String key : keys) {
            if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
                throw new HogQLException("Unsupported: property names with \" or \\: " + key);
            }
            path.append(".\"").append(key).append('"');
        }
        String extracted =
                "nullif(CAST(json_extract("
                        + column
                        + ", "
                        + SqlLiterals.string(path.toString())
                        + ") AS VARCHAR), 'null')";
        return "(CASE WHEN starts_with("
                + extracted
                + ", '\"') THEN "
                + extracted
                + "[2:-2] ELSE "
                + extracted
                + " END)";
    }

    /**
     * A column ClickHouse materialises from a property ({@code $session_id}, {@code $group_0}): the
     * property's raw text, or {@code ''} when it is missing.
     */
    static Sql materialised(String column, String property, String hogql, List<String> rest)
            throws HogQLException {
        return column(
                "coalesce(" + rawProperty(column, List.of(property)) + ", '')",
                HType.STRING,
                hogql,
                rest);
    }

    /**
     * {@code properties.a.b}: the raw text (see {@link #rawProperty}); a top-level Numeric or
     * Boolean property is then converted as PostHog's property swapper does.
     */
    static Sql properties(String column, List<String> keys, PropertyTypes types, String hogql)
            throws HogQLException {
        if (keys.isEmpty()) {
            return Sql.expr(column, HType.STRING, hogql);
        }
        String raw = rawProperty(column, keys);
        if (keys.size() == 1) {
            switch (types.typeOf(keys.get(0))) {
                case NUMERIC:
                    return Sql.expr(
                            "TRY_CAST(" + raw + " AS DOUBLE)",
                            HType.FLOAT64.withNullable(true),
                            hogql);
                case BOOLEAN:
                    return Sql.expr(
                            "(CASE " + raw + " WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END)",
                            HType.BOOL.withNullable(true),
                            hogql);
                default:
                    break;
            }
        }
        return Sql.expr(raw, HType.NULLABLE_STRING, hogql);
    }
}
