package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final MutableClock CLOCK = new MutableClock(NOW);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().clock(CLOCK).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
        CLOCK.set(NOW);
    }

    private Instant storedTimestampOf(String eventFields) {
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\""
                        + eventFields
                        + "}]}";
        assertThat(http.post("/batch/", body).status()).isEqualTo(200);
        return posthog.events().get(posthog.events().size() - 1).timestamp();
    }

    @Test
    void aTimestampAloneIsKeptAsGiven() {
        assertThat(storedTimestampOf(",\"timestamp\":\"2026-02-28T10:00:00.123Z\""))
                .isEqualTo(Instant.parse("2026-02-28T10:00:00.123Z"));
    }

    @Test
    void aTimestampWithAnOffsetZoneIsParsed() {
        assertThat(storedTimestampOf(",\"timestamp\":\"2026-02-28T10:00:00+02:00\""))
                .isEqualTo(Instant.parse("2026-02-28T08:00:00Z"));
    }

    @Test
    void sentAtCorrectsClockSkew() {
        // The client's clock is 1 h ahead; the event happened 5 s before sending.
        assertThat(
                        storedTimestampOf(
                                ",\"timestamp\":\"2026-03-01T12:59:55Z\",\"sent_at\":\"2026-03-01T13:00:00Z\""))
                .isEqualTo(NOW.minusSeconds(5));
    }

    @Test
    void theEnvelopeSentAtAppliesToItsEvents() {
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"sent_at\":\"2026-03-01T13:00:00Z\","
                        + "\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\",\"timestamp\":\"2026-03-01T12:59:50Z\"}]}";

        http.post("/batch/", body);

        assertThat(posthog.events().get(0).timestamp()).isEqualTo(NOW.minusSeconds(10));
    }

    @Test
    void ignoreSentAtKeepsTheTimestamp() {
        assertThat(
                        storedTimestampOf(
                                ",\"timestamp\":\"2026-03-01T12:59:55Z\",\"sent_at\":\"2026-03-01T13:00:00Z\","
                                    + "\"properties\":{\"$ignore_sent_at\":true}"))
                .isEqualTo(Instant.parse("2026-03-01T12:59:55Z"));
    }

    @Test
    void offsetIsMillisecondsBeforeNow() {
        assertThat(storedTimestampOf(",\"offset\":1500")).isEqualTo(NOW.minusMillis(1500));
    }

    @Test
    void withoutAnyTimeTheEventIsNow() {
        assertThat(storedTimestampOf("")).isEqualTo(NOW);
    }

    @Test
    void moreThan23HoursInTheFutureBecomesNow() {
        assertThat(storedTimestampOf(",\"timestamp\":\"2026-03-02T11:30:00Z\"")).isEqualTo(NOW);
        assertThat(storedTimestampOf(",\"timestamp\":\"2026-03-02T10:30:00Z\""))
                .isEqualTo(Instant.parse("2026-03-02T10:30:00Z"));
    }

    @Test
    void anInvalidTimestampBecomesNow() {
        assertThat(storedTimestampOf(",\"timestamp\":\"yesterday\"")).isEqualTo(NOW);
    }

    @Test
    void receivedAtIsTheServerClock() {
        storedTimestampOf(",\"timestamp\":\"2026-02-28T10:00:00Z\"");

        assertThat(posthog.events().get(0).receivedAt()).isEqualTo(NOW);
    }
}
