package io.github.posthogflink.testkit.capture;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * PostHog's timestamp rules: {@code timestamp} as given; with {@code sent_at} too, now + (timestamp
 * - sent_at) unless {@code $ignore_sent_at}; else now - {@code offset} ms; more than 23 h in the
 * future, or invalid, becomes now.
 */
public final class TimestampResolver {
    private static final Duration MAX_FUTURE = Duration.ofHours(23);

    private final Clock clock;

    public TimestampResolver(Clock clock) {
        this.clock = clock;
    }

    /**
     * The stored time of an event.
     *
     * @param timestampGiven whether the event has a {@code timestamp} that is not null
     * @param timestamp that timestamp as a time ({@link #parse(String)}); null when it is none
     * @param sentAt the event's {@code sent_at} (null when absent)
     * @param offset the event's {@code offset} (null when absent)
     * @param ignoreSentAt {@code properties.$ignore_sent_at}
     * @param envelopeSentAt the batch's {@code sent_at} (null when absent)
     */
    public Instant resolve(
            boolean timestampGiven,
            Instant timestamp,
            JsonNode sentAt,
            JsonNode offset,
            boolean ignoreSentAt,
            Instant now,
            JsonNode envelopeSentAt) {
        Instant sent = null;
        if (!ignoreSentAt) {
            sent = parse(sentAt);
            if (sent == null) {
                sent = parse(envelopeSentAt);
            }
        }
        Instant result;
        if (timestampGiven) {
            if (timestamp == null) {
                return now;
            }
            result = sent == null ? timestamp : now.plus(Duration.between(sent, timestamp));
        } else if (offset != null && !offset.isNull() && offset.isNumber()) {
            result = now.minusMillis(offset.asLong());
        } else {
            result = now;
        }
        if (result.isAfter(now.plus(MAX_FUTURE))) {
            return now;
        }
        return result;
    }

    public Instant now() {
        return clock.instant();
    }

    static Instant parse(JsonNode node) {
        return node == null || !node.isTextual() ? null : parse(node.asText());
    }

    /** A timestamp's text as a time (ISO 8601 with or without zone); null when it is none. */
    static Instant parse(String sent) {
        if (sent == null) {
            return null;
        }
        String text = sent.trim();
        Instant fast = parseCommonIso(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                try {
                    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }

    /**
     * The form SDKs send ({@code 2026-03-01T10:00:00.123Z}, or with {@code +HH:MM}), without the
     * formatter's cost; null for anything else, which the formatters then decide.
     */
    static Instant parseCommonIso(CharSequence text) {
        int length = text.length();
        if (length < 20
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && Character.isDigit(text.charAt(position))) {
                position++;
            }
            int count = position - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(text, start, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (position == length - 1 && text.charAt(position) == 'Z') {
            offsetSeconds = 0;
        } else if (position == length - 6
                && (text.charAt(position) == '+' || text.charAt(position) == '-')
                && text.charAt(position + 3) == ':') {
            int offsetHours = digits(text, position + 1, 2);
            int offsetMinutes = digits(text, position + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds =
                    (text.charAt(position) == '-' ? -1 : 1)
                            * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException invalidDate) {
            return null;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The decimal number of {@code count} digits at {@code start}, or -1. */
    private static int digits(CharSequence text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
