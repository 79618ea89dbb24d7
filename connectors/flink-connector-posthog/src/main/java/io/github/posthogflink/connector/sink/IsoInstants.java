package io.github.posthogflink.connector.sink;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} does (ISO-8601 in UTC, with 0, 3,
 * 6 or 9 fraction digits), without a formatter, for years 0000 to 9999.
 */
final class IsoInstants {
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private IsoInstants() {}

    /**
     * The date of the last instant written and its text ({@code yyyy-MM-dd}): a stream's events
     * mostly fall on the same day. One per writer, like the writer's buffer.
     */
    static final class DayCache {
        private long epochDay = Long.MIN_VALUE;
        private final byte[] text = new byte[10];
    }

    static void write(Instant instant, CaptureEventJson out, DayCache day) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            out.ascii(instant.toString());
            return;
        }
        long epochDay = Math.floorDiv(seconds, SECONDS_PER_DAY);
        if (epochDay != day.epochDay) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            format(date.getYear(), 4, day.text, 0);
            day.text[4] = '-';
            format(date.getMonthValue(), 2, day.text, 5);
            day.text[7] = '-';
            format(date.getDayOfMonth(), 2, day.text, 8);
            day.epochDay = epochDay;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        out.append(day.text);
        out.put((byte) 'T');
        out.digits(secondOfDay / 3600, 2);
        out.put((byte) ':');
        out.digits(secondOfDay / 60 % 60, 2);
        out.put((byte) ':');
        out.digits(secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out.put((byte) '.');
            if (nanos % 1_000_000 == 0) {
                out.digits(nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                out.digits(nanos / 1_000, 6);
            } else {
                out.digits(nanos, 9);
            }
        }
        out.put((byte) 'Z');
    }

    private static void format(int value, int width, byte[] into, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
