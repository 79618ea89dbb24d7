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
import org.apache.flink.table.types.logical.LogicalTypeRoot;
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
 *
 * <p>Converters are plain classes, not lambdas: a serializable lambda whose signature names a
 * Jackson type cannot be deserialized once the shaded jar relocates Jackson.
 */
final class RowDataJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RowDataJson() {}

    /** Converts one internal value (or null) of the type it was made for. */
    static final class ToJson implements Serializable {
        private static final long serialVersionUID = 1L;

        private final LogicalTypeRoot root;
        private final ToJson[] children;
        private final String[] fieldNames;
        private final RowData.FieldGetter[] fieldGetters;
        private final ArrayData.ElementGetter[] elementGetters;

        private ToJson(
                LogicalTypeRoot root,
                ToJson[] children,
                String[] fieldNames,
                RowData.FieldGetter[] fieldGetters,
                ArrayData.ElementGetter[] elementGetters) {
            this.root = root;
            this.children = children;
            this.fieldNames = fieldNames;
            this.fieldGetters = fieldGetters;
            this.elementGetters = elementGetters;
        }

        JsonNode convert(Object value) {
            if (value == null) {
                return NODES.nullNode();
            }
            return switch (root) {
                case CHAR, VARCHAR -> NODES.textNode(value.toString());
                case BOOLEAN -> NODES.booleanNode((Boolean) value);
                case TINYINT -> NODES.numberNode((Byte) value);
                case SMALLINT -> NODES.numberNode((Short) value);
                case INTEGER, INTERVAL_YEAR_MONTH -> NODES.numberNode((Integer) value);
                case BIGINT, INTERVAL_DAY_TIME -> NODES.numberNode((Long) value);
                case FLOAT -> NODES.numberNode((Float) value);
                case DOUBLE -> NODES.numberNode((Double) value);
                case DECIMAL -> NODES.numberNode(((DecimalData) value).toBigDecimal());
                case DATE -> NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString());
                case TIME_WITHOUT_TIME_ZONE ->
                        NODES.textNode(
                                LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString());
                case TIMESTAMP_WITHOUT_TIME_ZONE ->
                        NODES.textNode(
                                ((TimestampData) value)
                                        .toLocalDateTime()
                                        .toInstant(ZoneOffset.UTC)
                                        .toString());
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                        NODES.textNode(((TimestampData) value).toInstant().toString());
                case BINARY, VARBINARY ->
                        NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
                case ARRAY -> array((ArrayData) value);
                case MAP, MULTISET -> map((MapData) value);
                case ROW -> row((RowData) value);
                default -> throw new IllegalStateException("unchecked type " + root);
            };
        }

        private JsonNode array(ArrayData array) {
            ArrayNode out = NODES.arrayNode(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(children[0].convert(elementGetters[0].getElementOrNull(array, i)));
            }
            return out;
        }

        private JsonNode map(MapData map) {
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            ObjectNode out = NODES.objectNode();
            for (int i = 0; i < map.size(); i++) {
                JsonNode k = children[0].convert(elementGetters[0].getElementOrNull(keys, i));
                if (!k.isNull()) {
                    out.set(
                            k.asText(),
                            children[1].convert(elementGetters[1].getElementOrNull(values, i)));
                }
            }
            return out;
        }

        private JsonNode row(RowData row) {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < fieldNames.length; i++) {
                object.set(fieldNames[i], children[i].convert(fieldGetters[i].getFieldOrNull(row)));
            }
            return object;
        }
    }

    /** A converter for values of {@code type}, null-safe. */
    static ToJson forType(LogicalType type) {
        LogicalTypeRoot root = type.getTypeRoot();
        switch (root) {
            case ARRAY:
                LogicalType element = ((ArrayType) type).getElementType();
                return new ToJson(
                        root,
                        new ToJson[] {forType(element)},
                        null,
                        null,
                        new ArrayData.ElementGetter[] {ArrayData.createElementGetter(element)});
            case MAP:
                return map(root, ((MapType) type).getKeyType(), ((MapType) type).getValueType());
            case MULTISET:
                return map(root, ((MultisetType) type).getElementType(), new IntType(false));
            case ROW:
                return forRow((RowType) type);
            case CHAR,
            VARCHAR,
            BOOLEAN,
            TINYINT,
            SMALLINT,
            INTEGER,
            INTERVAL_YEAR_MONTH,
            BIGINT,
            INTERVAL_DAY_TIME,
            FLOAT,
            DOUBLE,
            DECIMAL,
            DATE,
            TIME_WITHOUT_TIME_ZONE,
            TIMESTAMP_WITHOUT_TIME_ZONE,
            TIMESTAMP_WITH_LOCAL_TIME_ZONE,
            BINARY,
            VARBINARY:
                return new ToJson(root, new ToJson[0], null, null, null);
            default:
                throw new ValidationException(
                        "The PostHog connector cannot write values of type " + type);
        }
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
        return new ToJson(
                LogicalTypeRoot.ROW, converters, names.toArray(new String[0]), getters, null);
    }

    private static ToJson map(LogicalTypeRoot root, LogicalType keyType, LogicalType valueType) {
        return new ToJson(
                root,
                new ToJson[] {forType(keyType), forType(valueType)},
                null,
                null,
                new ArrayData.ElementGetter[] {
                    ArrayData.createElementGetter(keyType), ArrayData.createElementGetter(valueType)
                });
    }
}
