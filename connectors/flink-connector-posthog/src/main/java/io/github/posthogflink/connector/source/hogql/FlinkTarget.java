package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.connector.source.hogql.ClickHouseType.Kind;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

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
        Instant fast = parseUtcFast(text);
        if (fast != null) {
            return fast;
        }
        String t = text.trim().replace(' ', 'T');
        boolean hasZone = t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10;
        if (!hasZone) {
            return LocalDateTime.parse(t).toInstant(UTC);
        }
        return OffsetDateTime.parse(t).toInstant();
    }

    /**
     * {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z]} without a formatter (the common case, and hot);
     * null for anything else.
     */
    @Nullable
    private static Instant parseUtcFast(String t) {
        int n = t.length();
        if (n < 19
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int end = t.charAt(n - 1) == 'Z' ? n - 1 : n;
        int nanos = 0;
        if (end > 19) {
            if (t.charAt(19) != '.' || end - 20 < 1 || end - 20 > 9) {
                return null;
            }
            for (int i = 20; i < 29; i++) {
                int digit = i < end ? digit(t, i) : 0;
                if (digit < 0) {
                    return null;
                }
                nanos = nanos * 10 + digit;
            }
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 7);
        int day = number(t, 8, 10);
        int hour = number(t, 11, 13);
        int minute = number(t, 14, 16);
        int second = number(t, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(
                epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static int number(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = digit(t, i);
            if (digit < 0) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int digit(String t, int i) {
        char c = t.charAt(i);
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    private static String jsonText(Object json) {
        try {
            return HogQLSplitSerializer.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            return String.valueOf(json);
        }
    }
}
