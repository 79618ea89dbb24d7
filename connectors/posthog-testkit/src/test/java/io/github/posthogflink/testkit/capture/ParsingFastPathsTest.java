package io.github.posthogflink.testkit.capture;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The formatter-free and regex-free paths agree with the JDK's parsers, or step aside. */
class ParsingFastPathsTest {
    @Test
    void commonIsoTimestampsParseAsTheFormatterDoes() {
        for (String text :
                new String[] {
                    "2026-03-01T10:00:00Z",
                    "2026-03-01T10:00:00.1Z",
                    "2026-03-01T10:00:00.123Z",
                    "2026-03-01T10:00:00.123456789Z",
                    "2024-02-29T23:59:59.999+02:00",
                    "1999-12-31T00:00:00-05:30",
                    "1970-01-01T00:00:00Z",
                    "1960-06-15T12:30:45.5Z"
                }) {
            assertThat(TimestampResolver.parseCommonIso(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void anythingElseIsLeftToTheFormatters() {
        for (String text :
                new String[] {
                    "2026-02-30T10:00:00Z",
                    "2026-03-01T24:00:00Z",
                    "2026-03-01T10:00:00",
                    "2026-03-01 10:00:00Z",
                    "2026-03-01T10:00:00.Z",
                    "2026-03-01T10:00:00.1234567890Z",
                    "2026-03-01T10:00:00+0200",
                    "2026-03-01T10:00:60Z",
                    "2026-03-01T1O:00:00Z",
                    "+2026-03-01T10:00:00Z"
                }) {
            assertThat(TimestampResolver.parseCommonIso(text)).as(text).isNull();
        }
    }

    @Test
    void canonicalUuidsParseAsUuidFromStringAndOthersStepAside() {
        for (String text :
                new String[] {
                    "01890a5d-ac96-774b-bcce-5f0b4f1e1a2b",
                    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
                    "00000000-0000-0000-0000-000000000000"
                }) {
            assertThat(CaptureParser.canonicalUuid(text)).isEqualTo(UUID.fromString(text));
        }
        assertThat(CaptureParser.canonicalUuid("01890a5dac96774bbcce5f0b4f1e1a2b")).isNull();
        assertThat(CaptureParser.canonicalUuid("01890a5d-ac96-774b-bcce-5f0b4f1e1a2g")).isNull();
        assertThat(CaptureParser.canonicalUuid("01890a5d-ac96-774b-bcce-5f0b4f1e1a2\uFF41"))
                .isNull();
        assertThat(CaptureParser.canonicalUuid("01890a5d+ac96-774b-bcce-5f0b4f1e1a2b")).isNull();
    }
}
