package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DedupTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private void send(UUID uuid, String event, String distinctId, String timestamp, String plan) {
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\""
                        + event
                        + "\",\"distinct_id\":\""
                        + distinctId
                        + "\",\"uuid\":\""
                        + uuid
                        + "\",\"timestamp\":\""
                        + timestamp
                        + "\",\"properties\":{\"plan\":\""
                        + plan
                        + "\"}}]}";
        assertThat(http.post("/batch/", body).status()).isEqualTo(200);
    }

    @Test
    void aResentEventIsStoredTwiceButDedupedOnce() {
        UUID uuid = UUID.randomUUID();
        send(uuid, "a", "u1", "2026-01-01T10:00:00Z", "free");
        send(uuid, "a", "u1", "2026-01-01T10:00:00Z", "pro");

        assertThat(posthog.events()).hasSize(2);
        assertThat(posthog.dedupedEvents())
                .singleElement()
                .satisfies(
                        e ->
                                // ReplacingMergeTree keeps the last inserted version.
                                assertThat(e.property("plan")).isEqualTo("pro"));
    }

    @Test
    void theSameUuidOnTheSameDayCollapsesWhateverTheTime() {
        UUID uuid = UUID.randomUUID();
        send(uuid, "a", "u1", "2026-01-01T00:00:01Z", "x");
        send(uuid, "a", "u1", "2026-01-01T23:59:59Z", "x");

        assertThat(posthog.dedupedEvents()).hasSize(1);
    }

    @Test
    void aDifferentDayEventOrDistinctIdKeepsBoth() {
        UUID uuid = UUID.randomUUID();
        send(uuid, "a", "u1", "2026-01-01T10:00:00Z", "x");
        send(uuid, "a", "u1", "2026-01-02T10:00:00Z", "x");
        send(uuid, "b", "u1", "2026-01-01T10:00:00Z", "x");
        send(uuid, "a", "u2", "2026-01-01T10:00:00Z", "x");

        assertThat(posthog.dedupedEvents()).hasSize(4);
    }
}
