package io.github.posthogflink.testkit.capture;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast byte reader and the Jackson reader store the same events and refuse the same bodies with
 * the same answers, on generated capture bodies full of odd JSON (escapes, unicode, nested {@code
 * $set}, numbers and arrays as distinct ids, repeated keys, odd whitespace) and on the same bodies
 * with random bytes changed; and the fast reader takes nearly every unchanged body.
 */
class BodyReadersAgreeTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String KEY = "phc_key";
    private static final int CASES = 4000;

    private final TimestampResolver timestamps =
            new TimestampResolver(Clock.fixed(NOW, ZoneOffset.UTC));
    private final CaptureParser fast = new CaptureParser(timestamps, true);
    private final CaptureParser jackson = new CaptureParser(timestamps, false);

    @Test
    void bothReadersAnswerTheSameForEveryBody() {
        Random random = new Random(20260301);
        int unchanged = 0;
        int takenFast = 0;
        int stored = 0;
        for (int i = 0; i < CASES; i++) {
            String json = new CaptureBodies(random).body();
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            boolean mutate = i % 3 == 2;
            if (mutate) {
                bytes = CaptureBodies.mutate(random, bytes);
            } else {
                unchanged++;
                if (FastBodyReader.read(bytes, bytes.length) != null) {
                    takenFast++;
                }
            }
            String viaFast = outcome(fast, bytes);
            String viaJackson = outcome(jackson, bytes);
            assertThat(viaFast)
                    .as("body %d: %s", i, new String(bytes, StandardCharsets.UTF_8))
                    .isEqualTo(viaJackson);
            if (viaFast.startsWith("stored")) {
                stored++;
            }
        }
        assertThat(takenFast).as("bodies the fast reader took").isGreaterThan(unchanged * 9 / 10);
        assertThat(stored).as("bodies stored").isGreaterThan(CASES / 5);
    }

    /** Everything a parse answers: the refusal, or each event as stored. */
    private static String outcome(CaptureParser parser, byte[] bytes) {
        CaptureParser.Parsed parsed;
        try {
            parsed = parser.parse(bytes, bytes.length, "/batch/", NOW);
        } catch (CaptureRejection e) {
            return "refused " + e.status() + " " + e.getMessage();
        }
        StringBuilder text =
                new StringBuilder("stored token=")
                        .append(parsed.token())
                        .append(" oversized=")
                        .append(parsed.oversized());
        List<String> events = new ArrayList<>();
        for (CapturedEvent event : parsed.events()) {
            // What capture recorded while reading, then the same asked of the parsed tree.
            String recorded = flags(event);
            event.properties();
            assertThat(flags(event)).as(event.raw().toString()).isEqualTo(recorded);
            // A uuid the server makes up is random: only its version is compared.
            String uuid =
                    event.raw().path("uuid").asText("").isBlank() && event.uuid().version() == 7
                            ? "v7"
                            : event.uuid().toString();
            events.add(
                    String.join(
                            " | ",
                            uuid,
                            event.event(),
                            event.distinctId(),
                            Objects.toString(event.timestamp()),
                            String.valueOf(event.historicalMigration()),
                            recorded,
                            event.properties().toString(),
                            event.raw().toString()));
        }
        return text.append(' ').append(events).toString();
    }

    private static String flags(CapturedEvent event) {
        StringBuilder flags = new StringBuilder();
        for (String name :
                List.of("$set", "$set_once", "$unset", "$groups", "$process_person_profile")) {
            flags.append(event.hasProperty(name) ? name : "-");
        }
        return flags.toString();
    }
}
