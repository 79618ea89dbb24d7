package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.Internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HogQL text for constants and identifiers, escaped as PostHog's {@code
 * posthog/hogql/escape_sql.py} escapes them ({@code escape_hogql_string}, {@code
 * escape_hogql_identifier}): strings in single quotes with {@code \b \f \r \n \t \0 \a \v \\ \'}
 * escaped; identifiers bare when they match {@code [A-Za-z_$][A-Za-z0-9_$]*}, else in backquotes
 * with a backquote doubled; {@code %} refused in identifiers; date-times as {@code
 * toDateTime('yyyy-MM-dd HH:mm:ss.ffffff')} in UTC and dates as {@code toDate('yyyy-MM-dd')}.
 */
@Internal
public final class HogQLLiterals {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private HogQLLiterals() {}

    /** A string constant: {@code 'it\'s'}. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escaped = escape(c);
            if (escaped != null) {
                out.append(escaped);
            } else if (c == '\'') {
                out.append("\\'");
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** An identifier: bare when plain ({@code $browser}), else {@code `a b`}. */
    public static String identifier(String name) {
        if (name.indexOf('%') >= 0) {
            throw new IllegalArgumentException(
                    "The HogQL identifier \""
                            + name
                            + "\" is not permitted as it contains the \"%\" character");
        }
        if (PLAIN_IDENTIFIER.matcher(name).matches()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 2).append('`');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            String escaped = escape(c);
            if (escaped != null) {
                out.append(escaped);
            } else if (c == '`') {
                out.append("``");
            } else {
                out.append(c);
            }
        }
        return out.append('`').toString();
    }

    /**
     * A field path: {@code properties.$browser} or {@code person.properties.`plan name`}, each
     * dot-separated part an {@link #identifier}.
     */
    public static String fieldPath(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("Empty part in the HogQL field path " + dotted);
            }
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(identifier(part));
        }
        return out.toString();
    }

    /** A UTC date-time: {@code toDateTime('2026-03-01 10:00:00.000000')}. */
    public static String dateTime(Instant instant) {
        LocalDateTime utc =
                LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return "toDateTime(" + string(DATE_TIME.format(utc)) + ")";
    }

    /** A date: {@code toDate('2026-03-01')}. */
    public static String date(LocalDate date) {
        return "toDate(" + string(date.toString()) + ")";
    }

    /** A number or boolean constant as HogQL prints it ({@code true}, {@code 1.5}, {@code NaN}). */
    public static String number(Object value) {
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.isNaN() ? "NaN" : d > 0 ? "Inf" : "-Inf";
        }
        if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return number(f.doubleValue());
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number) {
            return value.toString();
        }
        throw new IllegalArgumentException("Not a number or boolean: " + value);
    }

    private static String escape(char c) {
        return switch (c) {
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\0' -> "\\0";
            case '\u0007' -> "\\a";
            case '\u000B' -> "\\v";
            case '\\' -> "\\\\";
            default -> null;
        };
    }
}
