package io.github.posthogflink.connector.table;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the columns of a {@code posthog} sink table are: {@code event} and {@code distinct_id}
 * (required), {@code properties}, {@code timestamp}, {@code uuid}, {@code set} and {@code set_once}
 * (optional). Column names are matched case-insensitively; any other column is an error.
 */
record SinkRowLayout(RowType rowType, Map<String, Integer> positions) implements Serializable {

    static final String EVENT = "event";
    static final String DISTINCT_ID = "distinct_id";
    static final String PROPERTIES = "properties";
    static final String TIMESTAMP = "timestamp";
    static final String UUID = "uuid";
    static final String SET = "set";
    static final String SET_ONCE = "set_once";

    private static final List<String> COLUMNS =
            List.of(EVENT, DISTINCT_ID, PROPERTIES, TIMESTAMP, UUID, SET, SET_ONCE);

    /** Checks a sink table's physical row type. */
    static SinkRowLayout of(RowType rowType) {
        Map<String, Integer> positions = new TreeMap<>();
        List<String> names = rowType.getFieldNames();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).toLowerCase(java.util.Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                throw new ValidationException(
                        "The posthog sink does not know column '"
                                + names.get(i)
                                + "'. Columns: "
                                + String.join(", ", COLUMNS)
                                + " (event and distinct_id required; put other fields into"
                                + " properties).");
            }
            if (positions.put(name, i) != null) {
                throw new ValidationException("Column '" + name + "' appears twice.");
            }
            check(name, rowType.getTypeAt(i));
        }
        for (String required : List.of(EVENT, DISTINCT_ID)) {
            if (!positions.containsKey(required)) {
                throw new ValidationException(
                        "The posthog sink needs a column '" + required + "'.");
            }
        }
        return new SinkRowLayout(rowType, Map.copyOf(positions));
    }

    int position(String column) {
        return positions.getOrDefault(column, -1);
    }

    LogicalType type(String column) {
        return rowType.getTypeAt(positions.get(column));
    }

    private static void check(String name, LogicalType type) {
        boolean ok =
                switch (name) {
                    case EVENT, UUID -> isText(type);
                    case DISTINCT_ID -> isText(type) || type.is(LogicalTypeFamily.INTEGER_NUMERIC);
                    case TIMESTAMP ->
                            isText(type)
                                    || type.is(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE)
                                    || type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
                    default ->
                            isText(type)
                                    || type.is(LogicalTypeRoot.MAP)
                                    || type.is(LogicalTypeRoot.ROW);
                };
        if (!ok) {
            throw new ValidationException(
                    "Column '"
                            + name
                            + "' of a posthog sink cannot be "
                            + type
                            + ". "
                            + hint(name));
        }
    }

    private static String hint(String name) {
        return switch (name) {
            case EVENT, UUID -> "Use STRING.";
            case DISTINCT_ID -> "Use STRING or BIGINT.";
            case TIMESTAMP -> "Use TIMESTAMP_LTZ, TIMESTAMP (read as UTC) or an ISO-8601 STRING.";
            default -> "Use MAP<STRING, ...>, ROW<...> or a JSON object STRING.";
        };
    }

    private static boolean isText(LogicalType type) {
        return type.is(LogicalTypeFamily.CHARACTER_STRING);
    }
}
