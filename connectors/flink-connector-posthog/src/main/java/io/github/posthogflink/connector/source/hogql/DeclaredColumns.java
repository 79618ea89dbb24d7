package io.github.posthogflink.connector.source.hogql;

import java.io.Serializable;
import java.util.List;

/**
 * Declared columns (names and targets) resolved against a result schema: the result position of
 * each declared column, checked for a compatible type.
 */
final class DeclaredColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    private List<String> names;
    private final List<FlinkTarget> targets;
    private final List<String> declaredTypeNames;
    private transient HogQLResultSchema resolvedFor;
    private transient int[] positions;

    DeclaredColumns(List<String> names, List<FlinkTarget> targets, List<String> declaredTypeNames) {
        this.names = List.copyOf(names);
        this.targets = List.copyOf(targets);
        this.declaredTypeNames = List.copyOf(declaredTypeNames);
    }

    int size() {
        return names.size();
    }

    String name(int declared) {
        return names.get(declared);
    }

    /** Matches the declared columns by these names instead, in the same order. */
    void rename(List<String> columns) {
        if (!columns.equals(names)) {
            names = List.copyOf(columns);
            resolvedFor = null;
        }
    }

    /** Checks the result against the declaration; fails naming the column and both types. */
    void resolve(HogQLResultSchema schema) {
        if (schema.equals(resolvedFor)) {
            return;
        }
        int[] found = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int position = schema.indexOf(names.get(i));
            if (position < 0) {
                throw new HogQLSchemaMismatchException(
                        "Column '"
                                + names.get(i)
                                + "' is declared but not in the HogQL result, whose columns are "
                                + schema.columns());
            }
            String clickHouseName = schema.types().get(position);
            if (!targets.get(i).accepts(ClickHouseType.parse(clickHouseName))) {
                throw new HogQLSchemaMismatchException(
                        "Column '"
                                + names.get(i)
                                + "' is declared as "
                                + declaredTypeNames.get(i)
                                + " but PostHog returns "
                                + clickHouseName);
            }
            found[i] = position;
        }
        positions = found;
        resolvedFor = schema;
    }

    /** The declared column's value converted to its target's Java type. */
    Object value(HogQLRow row, int declared) {
        Object json = row.values().get(positions[declared]);
        try {
            return targets.get(declared).convert(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot read column '"
                            + names.get(declared)
                            + "' as "
                            + declaredTypeNames.get(declared)
                            + " (PostHog type "
                            + row.schema().types().get(positions[declared])
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    FlinkTarget target(int declared) {
        return targets.get(declared);
    }
}
