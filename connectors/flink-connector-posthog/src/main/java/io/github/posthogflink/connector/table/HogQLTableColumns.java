package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLLiterals;

import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HogQL expression of each declared column of a table-mode {@code posthog-hogql} table: {@code
 * 'hogql.column.<name>'} when given, else the column's name read as a field path ({@code event},
 * {@code `properties.$browser`}, {@code `person.properties.plan`}), each part escaped as an
 * identifier. Columns whose HogQL field is a UUID are compared as text, as Flink compares them.
 */
final class HogQLTableColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fields PostHog types as UUID, whose native order is not their text order. */
    private static final Set<String> UUID_FIELDS = Set.of("uuid", "person_id", "person.id");

    private final String table;
    private final Map<String, String> expressions;

    private HogQLTableColumns(String table, Map<String, String> expressions) {
        this.table = table;
        this.expressions = expressions;
    }

    static HogQLTableColumns of(String table, List<String> names, Map<String, String> options) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String name : names) {
            String given = options.get(HogQLConnectorOptions.HOGQL_COLUMN_PREFIX + name);
            String expression;
            try {
                HogQLLiterals.identifier(name); // the alias; refuses '%'
                expression = given != null ? given.strip() : HogQLLiterals.fieldPath(name);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(
                        "Column '"
                                + name
                                + "' is no HogQL field path ("
                                + e.getMessage()
                                + "); map it with '"
                                + HogQLConnectorOptions.HOGQL_COLUMN_PREFIX
                                + name
                                + "'");
            }
            expressions.put(name, expression);
        }
        for (String key : options.keySet()) {
            if (key.startsWith(HogQLConnectorOptions.HOGQL_COLUMN_PREFIX)
                    && !expressions.containsKey(
                            key.substring(HogQLConnectorOptions.HOGQL_COLUMN_PREFIX.length()))) {
                throw new ValidationException(
                        "Option '" + key + "' names no column of the table; columns: " + names);
            }
        }
        return new HogQLTableColumns(table, expressions);
    }

    String table() {
        return table;
    }

    /** The HogQL expression of a declared column. */
    String expression(String column) {
        return expressions.get(column);
    }

    boolean has(String column) {
        return expressions.containsKey(column);
    }

    /** The expression to compare: UUID fields as text ({@code toString(uuid)}). */
    String comparable(String column) {
        String expression = expressions.get(column);
        boolean uuid =
                UUID_FIELDS.contains(expression)
                        || (table.equalsIgnoreCase("persons") && expression.equals("id"));
        return uuid ? "toString(" + expression + ")" : expression;
    }

    /** The select item of a column: its expression, aliased to its name unless they are equal. */
    String selectItem(String column) {
        String expression = expressions.get(column);
        String alias = HogQLLiterals.identifier(column);
        return expression.equals(alias) ? expression : expression + " AS " + alias;
    }

    /** The declared column whose expression is exactly this field, or null. */
    String columnOf(String field) {
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            if (e.getValue().equals(field)) {
                return e.getKey();
            }
        }
        return null;
    }
}
