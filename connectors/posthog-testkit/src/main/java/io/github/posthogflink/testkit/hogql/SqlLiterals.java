package io.github.posthogflink.testkit.hogql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Safe DuckDB literals and HogQL prints for constants; the only place values become SQL text. */
final class SqlLiterals {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final DateTimeFormatter SQL_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private SqlLiterals() {}

    /** A DuckDB string literal: single quotes doubled; DuckDB gives backslashes no meaning. */
    static String string(String value) throws HogQLException {
        if (value.indexOf('\0') >= 0) {
            throw new HogQLException("String constants may not contain NUL characters");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    static String timestamp(Instant instant) {
        LocalDateTime utc =
                LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return "TIMESTAMP '" + SQL_TIMESTAMP.format(utc) + "'";
    }

    static String date(LocalDate date) {
        return "DATE '" + date + "'";
    }

    static String uuid(String text) throws HogQLException {
        try {
            return "UUID '" + UUID.fromString(text.trim()) + "'";
        } catch (IllegalArgumentException e) {
            throw new HogQLException("Cannot parse '" + text + "' as a UUID");
        }
    }

    /**
     * Parses a date-time constant the way ClickHouse reads one for a UTC DateTime64 column: ISO
     * 8601 with or without zone (no zone means UTC), with 'T' or a space, or a bare date.
     */
    static Instant parseInstant(String text) throws HogQLException {
        String value = text.trim();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String iso = value.replace(' ', 'T');
            if (iso.endsWith("Z") || iso.endsWith("z")) {
                return Instant.parse(iso.substring(0, iso.length() - 1) + "Z");
            }
            if (Pattern.compile("[+-]\\d{2}:?\\d{2}$")
                    .matcher(iso.substring(Math.min(iso.length(), 19)))
                    .find()) {
                return OffsetDateTime.parse(normaliseOffset(iso)).toInstant();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new HogQLException("Cannot parse '" + text + "' as a DateTime");
        }
    }

    private static String normaliseOffset(String iso) {
        int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
        String offset = iso.substring(sign);
        if (offset.length() == 5) {
            offset = offset.substring(0, 3) + ":" + offset.substring(3);
        }
        return iso.substring(0, sign) + offset;
    }

    static LocalDate parseDate(String text) throws HogQLException {
        String value = text.trim();
        if (value.length() > 10) {
            return LocalDateTime.ofInstant(parseInstant(value), ZoneOffset.UTC).toLocalDate();
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new HogQLException("Cannot parse '" + text + "' as a Date");
        }
    }

    /** HogQL's print of a constant, as in PostHog's {@code hogql} output. */
    static String hogqlConstant(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return value.toString();
    }

    static String hogqlIdentifier(String name) {
        if (PLAIN_IDENTIFIER.matcher(name).matches()) {
            return name;
        }
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }
}
