package io.github.posthogflink.testkit.hogql;

/**
 * The type of a translated expression: its kind (how it is read back from DuckDB) and the
 * ClickHouse type name PostHog reports for it.
 */
record HType(Kind kind, String baseName, boolean nullable) {
    enum Kind {
        STRING,
        INTEGER,
        FLOAT,
        /** ClickHouse comparisons and logic yield UInt8 0/1; DuckDB computes a BOOLEAN. */
        PREDICATE,
        BOOL,
        DATETIME,
        DATE,
        UUID,
        INTERVAL,
        NOTHING
    }

    static final String DATETIME_NAME = "DateTime64(6, 'UTC')";

    static final HType STRING = new HType(Kind.STRING, "String", false);
    static final HType NULLABLE_STRING = new HType(Kind.STRING, "String", true);
    static final HType UINT64 = new HType(Kind.INTEGER, "UInt64", false);
    static final HType INT64 = new HType(Kind.INTEGER, "Int64", false);
    static final HType FLOAT64 = new HType(Kind.FLOAT, "Float64", false);
    static final HType PREDICATE = new HType(Kind.PREDICATE, "UInt8", false);
    static final HType BOOL = new HType(Kind.BOOL, "Bool", false);
    static final HType DATETIME = new HType(Kind.DATETIME, DATETIME_NAME, false);
    static final HType DATE = new HType(Kind.DATE, "Date", false);
    static final HType UUID = new HType(Kind.UUID, "UUID", false);
    static final HType INTERVAL = new HType(Kind.INTERVAL, "IntervalDay", false);
    static final HType NULL = new HType(Kind.NOTHING, "Nothing", true);

    HType withNullable(boolean value) {
        return new HType(kind, baseName, value);
    }

    HType orNullable(HType other) {
        return withNullable(nullable || other.nullable);
    }

    boolean isNumeric() {
        return kind == Kind.INTEGER || kind == Kind.FLOAT || kind == Kind.PREDICATE;
    }

    boolean isTemporal() {
        return kind == Kind.DATETIME || kind == Kind.DATE;
    }

    /** The type name PostHog returns in {@code types}, e.g. {@code Nullable(String)}. */
    String clickhouseName() {
        if (kind == Kind.NOTHING) {
            return "Nullable(Nothing)";
        }
        return nullable ? "Nullable(" + baseName + ")" : baseName;
    }

    /** ClickHouse's type for an integer literal: the smallest (U)Int that holds it. */
    static HType forIntegerLiteral(long value) {
        String name;
        if (value >= 0) {
            name =
                    value <= 0xFF
                            ? "UInt8"
                            : value <= 0xFFFF
                                    ? "UInt16"
                                    : value <= 0xFFFFFFFFL ? "UInt32" : "UInt64";
        } else {
            name =
                    value >= Byte.MIN_VALUE
                            ? "Int8"
                            : value >= Short.MIN_VALUE
                                    ? "Int16"
                                    : value >= Integer.MIN_VALUE ? "Int32" : "Int64";
        }
        return new HType(Kind.INTEGER, name, false);
    }
}
