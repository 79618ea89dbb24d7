package io.github.posthogflink.connector.table;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.MultisetType;
import org.apache.flink.table.types.logical.RowType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * Converts Flink's internal values to JSON: strings, numbers, booleans, decimals, dates and times
 * (ISO-8601, timestamps without time zone read as UTC), arrays, maps (keys as text) and rows
 * (objects by field name). Nulls become JSON null.
 */
final class RowDataJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RowDataJson() {}

    /** Converts one non-null internal value of a given type. */
    @FunctionalInterface
    interface ToJson extends Serializable {
        JsonNode convert(Object value);
    }

    /** A converter for values of {@code type}, null-safe. */
    static ToJson forType(LogicalType type) {
        ToJson nonNull = nonNull(type);
        return value -> value == null ? NODES.nullNode() : nonNull.convert(value);
    }

    /** A converter of a row to a JSON object by field name. */
    static ToJson forRow(RowType type) {
        List<String> names = type.getFieldNames();
        int arity = names.size();
        RowData.FieldGetter[] getters = new RowData.FieldGetter[arity];
        ToJson[] converters = new ToJson[arity];
        for (int i = 0; i < arity; i++) {
            getters[i] = RowData.createFieldGetter(type.getTypeAt(i), i);
            converters[i] = forType(type.getTypeAt(i));
        }
        String[] fieldNames = names.toArray(new String[0]);
        return value -> {
            RowData row = (RowData) value;
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < arity; i++) {
                object.set(fieldNames[i], converters[i].convert(getters[i].getFieldOrNull(row)));
            }
            return object;
        };
    }

    private static ToJson nonNull(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value -> NODES.textNode(value.toString());
            case BOOLEAN:
                return value -> NODES.booleanNode((Boolean) value);
            case TINYINT:
                return value -> NODES.numberNode((Byte) value);
            case SMALLINT:
                return value -> NODES.numberNode((Short) value);
            case INTEGER:
            case INTERVAL_YEAR_MONTH:
                return value -> NODES.numberNode((Integer) value);
            case BIGINT:
            case INTERVAL_DAY_TIME:
                return value -> NODES.numberNode((Long) value);
            case FLOAT:
                return value -> NODES.numberNode((Float) value);
            case DOUBLE:
                return value -> NODES.numberNode((Double) value);
            case DECIMAL:
                return value -> NODES.numberNode(((DecimalData) value).toBigDecimal());
            case DATE:
                return value -> NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(
                                LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(
                                ((TimestampData) value)
                                        .toLocalDateTime()
                                        .toInstant(ZoneOffset.UTC)
                                        .toString());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return value -> NODES.textNode(((TimestampData) value).toInstant().toString());
            case BINARY:
            case VARBINARY:
                return value -> NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case ARRAY:
                return array(((ArrayType) type).getElementType());
            case MAP:
                return map(((MapType) type).getKeyType(), ((MapType) type).getValueType());
            case MULTISET:
                return map(((MultisetType) type).getElementType(), new IntType(false));
            case ROW:
                return forRow((RowType) type);
            default:
                throw new ValidationException(
                        "The PostHog connector cannot write values of type " + type);
        }
    }

    private static ToJson array(LogicalType elementType) {
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        ToJson element = forType(elementType);
        return value -> {
            ArrayData array = (ArrayData) value;
            ArrayNode out = NODES.arrayNode(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(element.convert(getter.getElementOrNull(array, i)));
            }
            return out;
        };
    }

    private static ToJson map(LogicalType keyType, LogicalType valueType) {
        ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(keyType);
        ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(valueType);
        ToJson key = forType(keyType);
        ToJson val = forType(valueType);
        return value -> {
            MapData map = (MapData) value;
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            ObjectNode out = NODES.objectNode();
            for (int i = 0; i < map.size(); i++) {
                JsonNode k = key.convert(keyGetter.getElementOrNull(keys, i));
                if (!k.isNull()) {
                    out.set(k.asText(), val.convert(valueGetter.getElementOrNull(values, i)));
                }
            }
            return out;
        };
    }
}
