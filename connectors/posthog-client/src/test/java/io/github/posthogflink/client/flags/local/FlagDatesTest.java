package io.github.posthogflink.client.flags.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** posthog-python's {@code TestRelativeDateParsing} and {@code TestDateParsing}. */
class FlagDatesTest {
    private static final Clock NEW_YEAR =
            Clock.fixed(Instant.parse("2020-01-01T12:01:20.134Z"), ZoneOffset.UTC);
    private static final Clock APRIL =
            Clock.fixed(Instant.parse("2020-04-03T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "1h, 2020-01-01T11:01:20.134Z",
        "2h, 2020-01-01T10:01:20.134Z",
        "24h, 2019-12-31T12:01:20.134Z",
        "30h, 2019-12-31T06:01:20.134Z",
        "48h, 2019-12-30T12:01:20.134Z",
        "1d, 2019-12-31T12:01:20.134Z",
        "2d, 2019-12-30T12:01:20.134Z",
        "7d, 2019-12-25T12:01:20.134Z",
        "14d, 2019-12-18T12:01:20.134Z",
        "30d, 2019-12-02T12:01:20.134Z",
        "1w, 2019-12-25T12:01:20.134Z",
        "2w, 2019-12-18T12:01:20.134Z",
        "4w, 2019-12-04T12:01:20.134Z",
        "8w, 2019-11-06T12:01:20.134Z",
        "1m, 2019-12-01T12:01:20.134Z",
        "2m, 2019-11-01T12:01:20.134Z",
        "4m, 2019-09-01T12:01:20.134Z",
        "8m, 2019-05-01T12:01:20.134Z",
        "12m, 2019-01-01T12:01:20.134Z",
        "1y, 2019-01-01T12:01:20.134Z",
        "2y, 2018-01-01T12:01:20.134Z",
        "4y, 2016-01-01T12:01:20.134Z",
        "8y, 2012-01-01T12:01:20.134Z",
        "-7d, 2019-12-25T12:01:20.134Z",
        "000h, 2020-01-01T12:01:20.134Z",
        "1000h, 2019-11-20T20:01:20.134Z"
    })
    void relativeDatesCountBackFromNow(String value, String expected) {
        assertThat(FlagDates.parseFlagValue(value).resolve(NEW_YEAR).toInstant())
                .isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "1m, 2020-03-03T00:00:00Z",
        "2m, 2020-02-03T00:00:00Z",
        "4m, 2019-12-03T00:00:00Z",
        "8m, 2019-08-03T00:00:00Z",
        "1y, 2019-04-03T00:00:00Z",
        "12m, 2019-04-03T00:00:00Z"
    })
    void monthsAndYearsAreCalendarAware(String value, String expected) {
        assertThat(FlagDates.parseFlagValue(value).resolve(APRIL).toInstant())
                .isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "2020-03-31T00:00:00Z, 1m, 2020-02-29T00:00:00Z",
        "2021-03-31T00:00:00Z, 1m, 2021-02-28T00:00:00Z",
        "2020-02-29T00:00:00Z, 1y, 2019-02-28T00:00:00Z"
    })
    void monthAndYearClampToTheTargetMonthEnd(String now, String value, String expected) {
        Clock clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
        assertThat(FlagDates.parseFlagValue(value).resolve(clock).toInstant())
                .isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1",
                "1x",
                "1.2y",
                "1z",
                "1s",
                "123344000.134m",
                "bazinga",
                "000bello",
                "000hello",
                "1000000h",
                "9999y",
                "100000000000000000y"
            })
    void invalidOrOverflowingRelativeValuesGiveNoDate(String value) {
        assertThat(FlagDates.parseFlagValue(value).resolve(NEW_YEAR)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "2022-05-01, 2022-05-01T00:00:00Z",
        "2022-04-05T12:34:12Z, 2022-04-05T12:34:12Z",
        "2022-04-05 12:34:12 UTC, 2022-04-05T12:34:12Z",
        "2022-04-05 12:34:12 +01:00, 2022-04-05T11:34:12Z",
        "2022-04-05T12:34:12.5+02:00, 2022-04-05T10:34:12.5Z",
        "20220405, 2022-04-05T00:00:00Z",
        "2022-04-05T12:34, 2022-04-05T12:34:00Z",
        "' 2022-04-05T12 ', 2022-04-05T12:00:00Z"
    })
    void absoluteDatesParseAsPythonFromIsoFormat(String value, String expected) {
        OffsetDateTime parsed = FlagDates.parseDateTime(value).resolve(NEW_YEAR);
        assertThat(parsed.toInstant()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void yearOnlyTakesTodaysMonthAndDay() {
        assertThat(FlagDates.parseDateTime("1234").resolve(APRIL).toInstant())
                .isEqualTo(Instant.parse("1234-04-03T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdef", "2022-13-01", "2022-02-30", "2022/05/01", "", "12:00"})
    void invalidAbsoluteDatesGiveNoDate(String value) {
        assertThat(FlagDates.parseDateTime(value).resolve(NEW_YEAR)).isNull();
    }
}
