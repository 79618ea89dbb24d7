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

    static void write(Instant instant, CaptureEventJson out) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            out.ascii(instant.toString());
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        out.digits(date.getYear(), 4);
        out.put((byte) '-');
        out.digits(date.getMonthValue(), 2);
        out.put((byte) '-');
        out.digits(date.getDayOfMonth(), 2);
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
}
