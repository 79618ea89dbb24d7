package io.github.posthogflink.client.flags.local;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date parsing as posthog-python's {@code is_date_before}/{@code is_date_after} do it: relative
 * values ({@code -7d}, {@code -1h}, {@code -2w}, {@code -1m}, {@code -1y}) and ISO 8601 dates as
 * Python's {@code datetime.fromisoformat} reads them (naive times are UTC).
 */
final class FlagDates {
    private static final Pattern RELATIVE = Pattern.compile("^-?(?<number>[0-9]+)(?<unit>[a-z])$");
    private static final Pattern YEAR_ONLY = Pattern.compile("\\d{4}");
    private static final Pattern SPACED_OFFSET = Pattern.compile(" ([+-]\\d{2}:\\d{2})$");
    private static final Pattern DATE =
            Pattern.compile(
                    "(?<y>\\d{4})(?:-(?<m>\\d{2})-(?<d>\\d{2})|(?<m2>\\d{2})(?<d2>\\d{2}))");
    private static final Pattern TIME =
            Pattern.compile(
                    "(?<h>\\d{2})(?::?(?<mi>\\d{2})(?::?(?<s>\\d{2})(?:[.,](?<f>\\d{1,9}))?)?)?"
                            + "(?<off>Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?)?");

    private FlagDates() {}

    /** A flag's date value, parsed once; relative and year-only values resolve against a clock. */
    sealed interface FlagDate permits Absolute, Relative, YearOnly, Invalid {
        /** The moment, or null when Python would fail to produce one. */
        OffsetDateTime resolve(Clock clock);
    }

    record Absolute(OffsetDateTime moment) implements FlagDate {
        @Override
        public OffsetDateTime resolve(Clock clock) {
            return moment;
        }
    }

    record Relative(int number, char unit) implements FlagDate {
        @Override
        public OffsetDateTime resolve(Clock clock) {
            OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
            try {
                OffsetDateTime result =
                        switch (unit) {
                            case 'h' -> now.minusHours(number);
                            case 'd' -> now.minusDays(number);
                            case 'w' -> now.minusWeeks(number);
                            case 'm' -> now.minusMonths(number);
                            default -> now.minusYears(number);
                        };
                return result.getYear() >= 1 && result.getYear() <= 9999 ? result : null;
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    record YearOnly(int year) implements FlagDate {
        @Override
        public OffsetDateTime resolve(Clock clock) {
            LocalDate today = LocalDate.now(clock);
            try {
                return LocalDate.of(year, today.getMonth(), today.getDayOfMonth())
                        .atStartOfDay()
                        .atOffset(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    record Invalid() implements FlagDate {
        @Override
        public OffsetDateTime resolve(Clock clock) {
            return null;
        }
    }

    /** Parses a flag's date value: relative first, then an absolute date. */
    static FlagDate parseFlagValue(String text) {
        Matcher relative = RELATIVE.matcher(text);
        if (relative.find()) {
            String number = relative.group("number");
            char unit = relative.group("unit").charAt(0);
            boolean small = number.replaceFirst("^0+(?=.)", "").length() <= 4;
            if (small && Integer.parseInt(number) < 10_000 && "hdwmy".indexOf(unit) >= 0) {
                return new Relative(Integer.parseInt(number), unit);
            }
        }
        return parseDateTime(text);
    }

    /** posthog-python's {@code parse_datetime}; {@link Invalid} where Python raises. */
    static FlagDate parseDateTime(String value) {
        String text = value.strip();
        if (text.endsWith("Z")) {
            text = text.substring(0, text.length() - 1) + "+00:00";
        } else if (text.toUpperCase(java.util.Locale.ROOT).endsWith(" UTC")) {
            text = text.substring(0, text.length() - 4) + "+00:00";
        } else if (YEAR_ONLY.matcher(text).matches()) {
            return new YearOnly(Integer.parseInt(text));
        }
        text = SPACED_OFFSET.matcher(text).replaceFirst("$1");
        OffsetDateTime parsed = fromIsoFormat(text);
        return parsed == null ? new Invalid() : new Absolute(parsed);
    }

    /** Python 3.11+ {@code datetime.fromisoformat}, naive results taken as UTC; null if invalid. */
    static OffsetDateTime fromIsoFormat(String text) {
        Matcher date = DATE.matcher(text);
        if (!date.lookingAt()) {
            return null;
        }
        try {
            int year = Integer.parseInt(date.group("y"));
            String m = date.group("m") != null ? date.group("m") : date.group("m2");
            String d = date.group("d") != null ? date.group("d") : date.group("d2");
            LocalDate day = LocalDate.of(year, Integer.parseInt(m), Integer.parseInt(d));
            int end = date.end();
            if (end == text.length()) {
                return day.atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            // Any single character may separate the date and the time.
            int timeStart = end + Character.charCount(text.codePointAt(end));
            Matcher time = TIME.matcher(text);
            time.region(timeStart, text.length());
            if (!time.matches()) {
                return null;
            }
            int nanos = 0;
            if (time.group("f") != null) {
                String fraction = (time.group("f") + "000000000").substring(0, 9);
                nanos = Integer.parseInt(fraction);
            }
            LocalTime clock =
                    LocalTime.of(
                            Integer.parseInt(time.group("h")),
                            time.group("mi") == null ? 0 : Integer.parseInt(time.group("mi")),
                            time.group("s") == null ? 0 : Integer.parseInt(time.group("s")),
                            nanos);
            return LocalDateTime.of(day, clock).atOffset(offset(time.group("off")));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String text) {
        if (text == null || text.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int sign = text.charAt(0) == '-' ? -1 : 1;
        String digits = text.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
        int seconds = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
        return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
    }
}
