package io.github.posthogflink.testkit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostHog's {@code relative_date_parse} ({@code posthog/utils.py}) for a UTC project: an ISO date
 * or date-time (no zone means UTC) is that instant, and is <em>pinned</em>; otherwise the first
 * {@code -?<n><unit>[Start|End]} in the text (units {@code h d w m M s q y}: hours, days, weeks,
 * months, minutes, seconds, quarters of 13 weeks, years) is subtracted from now, after setting the
 * fields its Start/End fix, and is <em>relative</em>. Text without such a part means now.
 */
final class RelativeDates {
    private static final Pattern RELATIVE =
            Pattern.compile("-?(?<number>[0-9]+)?(?<kind>[hdwmqysHDWMQY])(?<position>Start|End)?");

    /** The parsed instant and whether it is fixed (an ISO date) or moves with the clock. */
    record Parsed(Instant instant, boolean pinned) {}

    private RelativeDates() {}

    static Parsed parse(String text, Instant now) {
        Instant iso = iso(text);
        if (iso != null) {
            return new Parsed(iso, true);
        }
        Matcher m = RELATIVE.matcher(text);
        if (!m.find()) {
            return new Parsed(now, false);
        }
        long n = m.group("number") == null ? 0 : Long.parseLong(m.group("number"));
        boolean hasNumber = m.group("number") != null;
        String position = m.group("position");
        boolean start = "Start".equals(position);
        boolean end = "End".equals(position);
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        switch (m.group("kind")) {
            case "h" -> {
                if (start) {
                    t = t.truncatedTo(ChronoUnit.HOURS);
                } else if (end) {
                    t = t.withMinute(59).withSecond(59).withNano(999_999_000);
                }
                t = hasNumber ? t.minusHours(n) : t;
            }
            case "d" -> {
                if (start) {
                    t = t.truncatedTo(ChronoUnit.DAYS);
                } else if (end) {
                    t = t.withHour(23).withMinute(59).withSecond(59).withNano(999_999_000);
                }
                t = hasNumber ? t.minusDays(n) : t;
            }
            case "w" -> t = hasNumber ? t.minusWeeks(n) : t;
            case "m" -> {
                // relativedelta moves the month first, then sets (and clamps) the day
                t = hasNumber ? t.minusMonths(n) : t;
                if (start) {
                    t = t.withDayOfMonth(1);
                } else if (end) {
                    t = t.withDayOfMonth(t.toLocalDate().lengthOfMonth());
                }
            }
            case "M" -> t = hasNumber ? t.minusMinutes(n) : t;
            case "s" -> t = hasNumber ? t.minusSeconds(n) : t;
            case "q" -> t = hasNumber ? t.minusWeeks(13 * n) : t;
            case "y" -> {
                t = hasNumber ? t.minusYears(n) : t;
                if (start) {
                    t = t.withMonth(1).withDayOfMonth(1);
                } else if (end) {
                    t = t.withDayOfMonth(t.toLocalDate().lengthOfMonth());
                }
            }
            default -> {
                // H, D, W, Q, Y match PostHog's pattern but map to no change
            }
        }
        return new Parsed(t.toInstant(), false);
    }

    private static Instant iso(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }
}
