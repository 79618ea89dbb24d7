package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.connector.source.hogql.ClickHouseType.Kind;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.table.types.logical.LogicalType;

import com.fasterxml.jackson.core.JsonProcessingException;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Java value a declared Flink column needs, which ClickHouse types may feed it, and the
 * conversion from PostHog's JSON value.
 */
enum FlinkTarget {
    STRING(EnumSet.of(Kind.STRING, Kind.UUID, Kind.OTHER)),
    BYTE(EnumSet.of(Kind.INT32)),
    SHORT(EnumSet.of(Kind.INT32)),
    INT(EnumSet.of(Kind.INT32)),
    LONG(EnumSet.of(Kind.INT32, Kind.INT64)),
    FLOAT(EnumSet.of(Kind.FLOAT32)),
    DOUBLE(EnumSet.of(Kind.FLOAT32, Kind.FLOAT64, Kind.INT32, Kind.INT64)),
    DECIMAL(EnumSet.of(Kind.DECIMAL, Kind.INT32, Kind.INT64, Kind.FLOAT32, Kind.FLOAT64)),
    BOOLEAN(EnumSet.of(Kind.BOOL, Kind.INT32)),
    DATE(EnumSet.of(Kind.DATE)),
    /** A timestamp without zone, read in UTC. */
    LOCAL_DATE_TIME(EnumSet.of(Kind.DATETIME)),
    INSTANT(EnumSet.of(Kind.DATETIME));

    private final Set<Kind> accepted;

    FlinkTarget(Set<Kind> accepted) {
        this.accepted = accepted;
    }

    boolean accepts(ClickHouseType type) {
        return type.kind() == Kind.NOTHING || accepted.contains(type.kind());
    }

    /** The target for a {@link org.apache.flink.types.Row} field type, or null if unsupported. */
    @Nullable
    static FlinkTarget of(TypeInformation<?> type) {
        if (type.equals(Types.STRING)) {
            return STRING;
        } else if (type.equals(Types.BYTE)) {
            return BYTE;
        } else if (type.equals(Types.SHORT)) {
            return SHORT;
        } else if (type.equals(Types.INT)) {
            return INT;
        } else if (type.equals(Types.LONG)) {
            return LONG;
        } else if (type.equals(Types.FLOAT)) {
            return FLOAT;
        } else if (type.equals(Types.DOUBLE)) {
            return DOUBLE;
        } else if (type.equals(Types.BIG_DEC)) {
            return DECIMAL;
        } else if (type.equals(Types.BOOLEAN)) {
            return BOOLEAN;
        } else if (type.equals(Types.LOCAL_DATE)) {
            return DATE;
        } else if (type.equals(Types.LOCAL_DATE_TIME)) {
            return LOCAL_DATE_TIME;
        } else if (type.equals(Types.INSTANT)) {
            return INSTANT;
        }
        return null;
    }

    /** The target for a Table API logical type, or null if unsupported. */
    @Nullable
    static FlinkTarget of(LogicalType type) {
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> STRING;
            case TINYINT -> BYTE;
            case SMALLINT -> SHORT;
            case INTEGER -> INT;
            case BIGINT -> LONG;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case DECIMAL -> DECIMAL;
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case TIMESTAMP_WITHOUT_TIME_ZONE -> LOCAL_DATE_TIME;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> INSTANT;
            default -> null;
        };
    }

    /** Converts a JSON value (as Jackson read it) to this target's Java type. */
    @Nullable
    Object convert(@Nullable Object json) {
        if (json == null) {
            return null;
        }
        return switch (this) {
            case STRING -> json instanceof String s ? s : jsonText(json);
            case BYTE -> (byte) exactLong(json);
            case SHORT -> (short) exactLong(json);
            case INT -> Math.toIntExact(exactLong(json));
            case LONG -> exactLong(json);
            case FLOAT -> ((Number) json).floatValue();
            case DOUBLE -> ((Number) json).doubleValue();
            case DECIMAL -> new BigDecimal(json.toString());
            case BOOLEAN -> toBoolean(json);
            case DATE -> LocalDate.parse((String) json);
            case LOCAL_DATE_TIME -> LocalDateTime.ofInstant(parseInstant((String) json), UTC);
            case INSTANT -> parseInstant((String) json);
        };
    }

    private static final ZoneOffset UTC = ZoneOffset.UTC;

    private static long exactLong(Object json) {
        if (json instanceof BigInteger big) {
            return big.longValueExact(); // UInt64 above Long.MAX_VALUE fails clearly
        }
        if (json instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) json).longValue();
    }

    private static boolean toBoolean(Object json) {
        if (json instanceof Boolean b) {
            return b;
        }
        if (json instanceof Number n) {
            return n.longValue() != 0;
        }
        return Boolean.parseBoolean(json.toString());
    }

    /**
     * PostHog prints date-times as ISO 8601 ({@code 2024-06-14T09:30:00.123456Z}, maybe {@code
     * +00:00}); ClickHouse's own text form has a space and no zone, meaning UTC here.
     */
    static Instant parseInstant(String text) {
        String t = text.trim().replace(' ', 'T');
        boolean hasZone =
                t.endsWith("Z")
                        || t.lastIndexOf('+') > 10
                        || (t.lastIndexOf('-') > 10 && t.indexOf('T') > 0);
        if (!hasZone) {
            return LocalDateTime.parse(t).toInstant(UTC);
        }
        return OffsetDateTime.parse(t).toInstant();
    }

    private static String jsonText(Object json) {
        try {
            return HogQLSplitSerializer.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            return String.valueOf(json);
        }
    }
}
