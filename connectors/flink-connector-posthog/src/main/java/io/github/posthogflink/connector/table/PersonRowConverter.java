package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.persons.Person;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import com.fasterxml.jackson.core.JsonProcessingException;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the rows of a {@code posthog-persons} table from persons. Columns: the lookup key column
 * ({@code distinct_id}, {@code email} or the property's name), {@code id}, {@code uuid}, {@code
 * name}, {@code distinct_ids} (ARRAY&lt;STRING&gt;), {@code properties} (MAP&lt;STRING, STRING&gt;,
 * non-string values as JSON, or a JSON STRING), {@code created_at} and {@code last_seen_at}
 * (TIMESTAMP_LTZ, TIMESTAMP in UTC, or STRING).
 */
final class PersonRowConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final List<String> FIXED =
            List.of(
                    "id",
                    "uuid",
                    "name",
                    "distinct_ids",
                    "properties",
                    "created_at",
                    "last_seen_at");

    private final String keyColumn;
    private final String[] columns;
    private final LogicalType[] types;
    private final int keyPosition;

    PersonRowConverter(RowType rowType, String keyColumn) {
        this.keyColumn = keyColumn;
        this.columns =
                rowType.getFieldNames().stream()
                        .map(n -> n.toLowerCase(Locale.ROOT))
                        .toArray(String[]::new);
        this.types = rowType.getChildren().toArray(new LogicalType[0]);
        int key = -1;
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(keyColumn.toLowerCase(Locale.ROOT))) {
                key = i;
                requireText(columns[i], types[i]);
            } else {
                check(columns[i], types[i]);
            }
        }
        if (key < 0) {
            throw new ValidationException(
                    "A posthog-persons table needs the lookup key column '" + keyColumn + "'.");
        }
        this.keyPosition = key;
    }

    int keyPosition() {
        return keyPosition;
    }

    String keyColumn() {
        return keyColumn;
    }

    /** The row of a person found for {@code key}. */
    RowData toRow(String key, Person person) {
        GenericRowData row = new GenericRowData(columns.length);
        for (int i = 0; i < columns.length; i++) {
            if (i == keyPosition) {
                row.setField(i, StringData.fromString(key));
                continue;
            }
            row.setField(i, value(columns[i], types[i], person));
        }
        return row;
    }

    @Nullable
    private static Object value(String column, LogicalType type, Person person) {
        return switch (column) {
            case "id" -> text(person.id());
            case "uuid" -> text(person.uuid());
            case "name" -> text(person.name());
            case "distinct_ids" ->
                    new GenericArrayData(
                            person.distinctIds().stream().map(StringData::fromString).toArray());
            case "properties" -> properties(type, person.properties());
            case "created_at" -> time(type, person.createdAt());
            case "last_seen_at" -> time(type, person.lastSeenAt());
            default -> throw new IllegalStateException("unchecked column " + column);
        };
    }

    private static Object properties(LogicalType type, Map<String, Object> properties) {
        if (type.is(LogicalTypeFamily.CHARACTER_STRING)) {
            return StringData.fromString(json(properties));
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties.forEach(
                (k, v) -> map.put(k, v == null ? null : v instanceof String s ? s : json(v)));
        return StringMapData.of(map);
    }

    @Nullable
    private static Object time(LogicalType type, @Nullable String iso) {
        if (iso == null) {
            return null;
        }
        if (type.is(LogicalTypeFamily.CHARACTER_STRING)) {
            return StringData.fromString(iso);
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        return type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE)
                ? TimestampData.fromInstant(instant)
                : TimestampData.fromLocalDateTime(
                        instant.atOffset(ZoneOffset.UTC).toLocalDateTime());
    }

    @Nullable
    private static StringData text(@Nullable String value) {
        return value == null ? null : StringData.fromString(value);
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize person properties", e);
        }
    }

    private static void check(String column, LogicalType type) {
        if (!FIXED.contains(column)) {
            throw new ValidationException(
                    "A posthog-persons table does not know column '"
                            + column
                            + "'. Columns: the lookup key, "
                            + String.join(", ", FIXED)
                            + ".");
        }
        boolean ok =
                switch (column) {
                    case "distinct_ids" ->
                            type instanceof ArrayType array
                                    && array.getElementType()
                                            .is(LogicalTypeFamily.CHARACTER_STRING);
                    case "properties" ->
                            type.is(LogicalTypeFamily.CHARACTER_STRING)
                                    || type instanceof MapType map
                                            && map.getKeyType()
                                                    .is(LogicalTypeFamily.CHARACTER_STRING)
                                            && map.getValueType()
                                                    .is(LogicalTypeFamily.CHARACTER_STRING);
                    case "created_at", "last_seen_at" ->
                            type.is(LogicalTypeFamily.CHARACTER_STRING)
                                    || type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE)
                                    || type.is(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE);
                    default -> type.is(LogicalTypeFamily.CHARACTER_STRING);
                };
        if (!ok) {
            throw new ValidationException(
                    "Column '"
                            + column
                            + "' of a posthog-persons table cannot be "
                            + type
                            + " (distinct_ids: ARRAY<STRING>; properties: MAP<STRING, STRING> or"
                            + " STRING; created_at, last_seen_at: TIMESTAMP_LTZ, TIMESTAMP or"
                            + " STRING; others: STRING).");
        }
    }

    private static void requireText(String column, LogicalType type) {
        if (!type.is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new ValidationException(
                    "The lookup key column '" + column + "' must be a STRING.");
        }
    }
}
