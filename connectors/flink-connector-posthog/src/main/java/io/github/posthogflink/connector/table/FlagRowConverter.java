package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.enrich.flags.FlagEvaluationResult;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the rows of a {@code posthog-flags} table. Columns: {@code distinct_id} (the lookup key),
 * {@code groups} (optional key: a JSON object STRING of group type to key), {@code flags}
 * (MAP&lt;STRING, STRING&gt;: key to variant or 'true'/'false'), {@code active_flags}
 * (ARRAY&lt;STRING&gt;, sorted enabled keys), {@code complete} (BOOLEAN), and any other column is
 * one flag by its key: STRING for the value, BOOLEAN for whether it is enabled.
 */
final class FlagRowConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String DISTINCT_ID = "distinct_id";
    static final String GROUPS = "groups";
    static final String FLAGS = "flags";
    static final String ACTIVE_FLAGS = "active_flags";
    static final String COMPLETE = "complete";

    private final String[] columns;
    private final boolean[] booleanFlag;
    private final int distinctId;
    private final int groups;

    FlagRowConverter(RowType rowType) {
        this.columns = rowType.getFieldNames().toArray(new String[0]);
        this.booleanFlag = new boolean[columns.length];
        int key = -1;
        int groupsAt = -1;
        for (int i = 0; i < columns.length; i++) {
            LogicalType type = rowType.getTypeAt(i);
            switch (columns[i].toLowerCase(Locale.ROOT)) {
                case DISTINCT_ID -> {
                    require(isText(type), DISTINCT_ID, "STRING");
                    key = i;
                }
                case GROUPS -> {
                    require(isText(type), GROUPS, "STRING (a JSON object)");
                    groupsAt = i;
                }
                case FLAGS ->
                        require(
                                type instanceof MapType m
                                        && isText(m.getKeyType())
                                        && isText(m.getValueType()),
                                FLAGS,
                                "MAP<STRING, STRING>");
                case ACTIVE_FLAGS ->
                        require(
                                type instanceof ArrayType a && isText(a.getElementType()),
                                ACTIVE_FLAGS,
                                "ARRAY<STRING>");
                case COMPLETE -> require(type.is(LogicalTypeRoot.BOOLEAN), COMPLETE, "BOOLEAN");
                default -> {
                    require(
                            isText(type) || type.is(LogicalTypeRoot.BOOLEAN),
                            columns[i],
                            "STRING (the flag's value) or BOOLEAN (enabled)");
                    booleanFlag[i] = type.is(LogicalTypeRoot.BOOLEAN);
                }
            }
        }
        if (key < 0) {
            throw new ValidationException("A posthog-flags table needs a column 'distinct_id'.");
        }
        this.distinctId = key;
        this.groups = groupsAt;
    }

    int distinctIdPosition() {
        return distinctId;
    }

    int groupsPosition() {
        return groups;
    }

    /** The flag keys named by columns (other than the fixed ones), in column order. */
    List<String> flagColumns() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            if (!isFixed(columns[i])) {
                keys.add(columns[i]);
            }
        }
        return keys;
    }

    RowData toRow(
            String distinctIdValue,
            StringData groupsValue,
            Map<String, FlagEvaluationResult> flags,
            boolean complete) {
        GenericRowData row = new GenericRowData(columns.length);
        for (int i = 0; i < columns.length; i++) {
            String column = columns[i];
            switch (column.toLowerCase(Locale.ROOT)) {
                case DISTINCT_ID -> row.setField(i, StringData.fromString(distinctIdValue));
                case GROUPS -> row.setField(i, groupsValue);
                case FLAGS -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    flags.forEach((k, v) -> values.put(k, String.valueOf(v.value())));
                    row.setField(i, StringMapData.of(values));
                }
                case ACTIVE_FLAGS ->
                        row.setField(
                                i,
                                new GenericArrayData(
                                        flags.values().stream()
                                                .filter(FlagEvaluationResult::enabled)
                                                .map(FlagEvaluationResult::key)
                                                .sorted()
                                                .map(StringData::fromString)
                                                .toArray()));
                case COMPLETE -> row.setField(i, complete);
                default -> {
                    FlagEvaluationResult flag = flags.get(column);
                    if (flag != null) {
                        row.setField(
                                i,
                                booleanFlag[i]
                                        ? (Object) flag.enabled()
                                        : StringData.fromString(String.valueOf(flag.value())));
                    }
                }
            }
        }
        return row;
    }

    private static boolean isFixed(String column) {
        return switch (column.toLowerCase(Locale.ROOT)) {
            case DISTINCT_ID, GROUPS, FLAGS, ACTIVE_FLAGS, COMPLETE -> true;
            default -> false;
        };
    }

    private static boolean isText(LogicalType type) {
        return type.is(LogicalTypeFamily.CHARACTER_STRING);
    }

    private static void require(boolean ok, String column, String expected) {
        if (!ok) {
            throw new ValidationException(
                    "Column '" + column + "' of a posthog-flags table must be " + expected + ".");
        }
    }
}
