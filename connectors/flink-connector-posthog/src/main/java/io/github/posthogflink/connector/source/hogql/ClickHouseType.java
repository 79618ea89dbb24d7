package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;
import java.util.Locale;

/**
 * A ClickHouse type name from a HogQL response ({@code Nullable(Int64)}, {@code DateTime64(6,
 * 'UTC')}, ...), reduced to what decides the Flink type.
 */
record ClickHouseType(String name, Kind kind, boolean nullable, int precision, int scale)
        implements Serializable {

    enum Kind {
        STRING,
        UUID,
        INT32,
        INT64,
        FLOAT32,
        FLOAT64,
        DECIMAL,
        BOOL,
        DATE,
        DATETIME,
        /** {@code Nothing}: the type of NULL. Fits any declared type. */
        NOTHING,
        /** Arrays, maps, tuples, JSON: read as JSON text. */
        OTHER
    }

    static ClickHouseType parse(String name) {
        String t = name.trim();
        boolean nullable = false;
        while (true) {
            if (t.startsWith("Nullable(") && t.endsWith(")")) {
                nullable = true;
                t = t.substring("Nullable(".length(), t.length() - 1).trim();
            } else if (t.startsWith("LowCardinality(") && t.endsWith(")")) {
                t = t.substring("LowCardinality(".length(), t.length() - 1).trim();
            } else {
                break;
            }
        }
        String base = t.contains("(") ? t.substring(0, t.indexOf('(')) : t;
        String args = t.contains("(") ? t.substring(t.indexOf('(') + 1, t.lastIndexOf(')')) : "";
        return switch (base) {
            case "String", "FixedString", "Enum8", "Enum16", "IPv4", "IPv6" ->
                    new ClickHouseType(name, Kind.STRING, nullable, 0, 0);
            case "UUID" -> new ClickHouseType(name, Kind.UUID, nullable, 0, 0);
            case "Int8", "Int16", "Int32", "UInt8", "UInt16" ->
                    new ClickHouseType(name, Kind.INT32, nullable, 0, 0);
            case "Int64", "UInt32", "UInt64" ->
                    new ClickHouseType(name, Kind.INT64, nullable, 0, 0);
            case "Float32" -> new ClickHouseType(name, Kind.FLOAT32, nullable, 0, 0);
            case "Float64" -> new ClickHouseType(name, Kind.FLOAT64, nullable, 0, 0);
            case "Bool", "Boolean" -> new ClickHouseType(name, Kind.BOOL, nullable, 0, 0);
            case "Date", "Date32" -> new ClickHouseType(name, Kind.DATE, nullable, 0, 0);
            case "DateTime" -> new ClickHouseType(name, Kind.DATETIME, nullable, 0, 0);
            case "DateTime64" ->
                    new ClickHouseType(name, Kind.DATETIME, nullable, firstInt(args, 3), 0);
            case "Decimal" -> decimal(name, nullable, args);
            case "Decimal32", "Decimal64", "Decimal128", "Decimal256" ->
                    new ClickHouseType(
                            name,
                            Kind.DECIMAL,
                            nullable,
                            switch (base) {
                                case "Decimal32" -> 9;
                                case "Decimal64" -> 18;
                                default -> 38;
                            },
                            firstInt(args, 0));
            case "Nothing" -> new ClickHouseType(name, Kind.NOTHING, true, 0, 0);
            default -> new ClickHouseType(name, Kind.OTHER, nullable, 0, 0);
        };
    }

    private static ClickHouseType decimal(String name, boolean nullable, String args) {
        String[] parts = args.split(",");
        int precision = firstInt(parts[0], 38);
        int scale = parts.length > 1 ? firstInt(parts[1], 0) : 0;
        return new ClickHouseType(name, Kind.DECIMAL, nullable, Math.min(precision, 38), scale);
    }

    private static int firstInt(String args, int fallback) {
        String first = args.split(",")[0].trim().toLowerCase(Locale.ROOT);
        try {
            return first.isEmpty() ? fallback : Integer.parseInt(first);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The Flink type a {@link org.apache.flink.types.Row} gets for this column by default. */
    TypeInformation<?> defaultTypeInformation() {
        return switch (kind) {
            case STRING, UUID, NOTHING, OTHER -> Types.STRING;
            case INT32 -> Types.INT;
            case INT64 -> Types.LONG;
            case FLOAT32 -> Types.FLOAT;
            case FLOAT64 -> Types.DOUBLE;
            case DECIMAL -> Types.BIG_DEC;
            case BOOL -> Types.BOOLEAN;
            case DATE -> Types.LOCAL_DATE;
            case DATETIME -> Types.INSTANT;
        };
    }
}
