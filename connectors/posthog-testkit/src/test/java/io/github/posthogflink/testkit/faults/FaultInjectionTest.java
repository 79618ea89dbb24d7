package io.github.posthogflink.testkit.faults;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().clock(CLOCK).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private int capture() {
        return http.post(
                        "/batch/",
                        "{\"api_key\":\""
                                + posthog.projectApiKey()
                                + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\"}]}")
                .status();
    }

    @Test
    void theNextNRequestsGetTheStatusThenServiceResumes() {
        FaultRule rule =
                posthog.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .times(2));

        assertThat(capture()).isEqualTo(503);
        assertThat(capture()).isEqualTo(503);
        assertThat(capture()).isEqualTo(200);
        assertThat(rule.firedCount()).isEqualTo(2);
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void aRuleCanLetTheFirstRequestsThrough() {
        FaultRule rule =
                posthog.faults()
                        .add(
                                FaultRule.matching(RouteMatcher.path("POST", "/batch/"))
                                        .status(503)
                                        .afterPassing(2)
                                        .times(1));

        assertThat(capture()).isEqualTo(200);
        assertThat(capture()).isEqualTo(200);
        assertThat(capture()).isEqualTo(503);
        assertThat(capture()).isEqualTo(200);
        assertThat(rule.firedCount()).isEqualTo(1);
        assertThat(posthog.events()).hasSize(3);
    }

    @Test
    void a429CarriesRetryAfterAndThePostHogThrottleBody() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).status(429, 3).times(1));

        TestHttp.Reply reply = http.post("/batch", "{}");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isEqualTo("3");
        assertThat(reply.json().get("code").asText()).isEqualTo("throttled");
    }

    @Test
    void a503CanCarryRetryAfterAndTheV2FlagsRouteCanBeTargeted() {
        posthog.faults()
                .add(FaultRule.matching(RouteMatcher.path("/flags/")).status(503, 5).times(1));

        TestHttp.Reply reply = http.post("/flags/?v=2", "{}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("5");
        assertThat(reply.json().get("type").asText()).isEqualTo("server_error");
    }

    @Test
    void otherRoutesAreUntouched() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.flags()).status(500).always());

        assertThat(capture()).isEqualTo(200);
        assertThat(http.post("/flags?v=2", "{}").status()).isEqualTo(500);
    }

    @Test
    void aDelaySlowsTheResponseThenHandlesIt() {
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .delay(Duration.ofMillis(300))
                                .times(1));

        long start = System.nanoTime();
        int status = capture();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(status).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void aResetClosesTheConnectionWithoutAnswer() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).resetConnection().times(1));
        byte[] body =
                ("{\"api_key\":\""
                                + posthog.projectApiKey()
                                + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\"}]}")
                        .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> http.sendOrThrow("POST", "/batch/", body))
                .isInstanceOf(IOException.class);
        assertThat(posthog.events()).isEmpty();
        assertThat(posthog.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isZero());
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void anOutageLastsItsWindowOnTheServerClock() {
        posthog.faults().outage(RouteMatcher.any(), Duration.ofSeconds(30));

        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(29));
        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void aScheduledOutageStartsLaterAndLastsItsWindow() {
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .status(503)
                                .startingAfter(Duration.ofSeconds(10))
                                .forDuration(Duration.ofSeconds(30)));

        assertThat(capture()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(29));
        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void aWindowCanFailASeededShareOfRequests() {
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .status(502)
                                .forDuration(Duration.ofSeconds(60), 0.5, 7));

        int inWindow = 0;
        for (int i = 0; i < 100; i++) {
            inWindow += capture() == 502 ? 1 : 0;
        }
        CLOCK.advance(Duration.ofSeconds(60));
        int after = 0;
        for (int i = 0; i < 20; i++) {
            after += capture() == 502 ? 1 : 0;
        }

        assertThat(inWindow).isBetween(30, 70);
        assertThat(after).isZero();
    }

    @Test
    void aScheduleIsProgrammableOverHttp() {
        http.post(
                "/_testkit/faults",
                "{\"path\":\"/batch/\",\"status\":503,\"start_after_ms\":5000,"
                        + "\"duration_ms\":10000,\"probability\":1.0}");

        JsonNode rule = http.get("/_testkit/faults").json().get("results").get(0);
        assertThat(Instant.parse(rule.get("window_start").asText()))
                .isEqualTo(CLOCK.instant().plusSeconds(5));
        assertThat(Instant.parse(rule.get("window_end").asText()))
                .isEqualTo(CLOCK.instant().plusSeconds(15));
        assertThat(capture()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(5));
        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void aSeededProbabilityIsRepeatable() {
        assertThat(failuresOutOf100(42)).isEqualTo(failuresOutOf100(42)).isBetween(15, 45);
    }

    private int failuresOutOf100(long seed) {
        posthog.reset();
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .status(502)
                                .withProbability(0.3, seed));
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            if (capture() == 502) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void faultsAreProgrammableOverHttp() {
        TestHttp.Reply added =
                http.post(
                        "/_testkit/faults",
                        "{\"method\":\"POST\",\"path\":\"/batch/\",\"type\":\"status\",\"status\":504,\"times\":1}");

        assertThat(added.status()).isEqualTo(201);
        assertThat(http.get("/_testkit/faults").json().get("results")).hasSize(1);
        assertThat(capture()).isEqualTo(504);
        assertThat(capture()).isEqualTo(200);
        assertThat(http.get("/_testkit/faults").json().get("results").get(0).get("fired").asInt())
                .isEqualTo(1);

        http.post("/_testkit/faults", "{\"path_regex\":\"/batch/?\",\"type\":\"reset\"}");
        long id = http.get("/_testkit/faults").json().get("results").get(1).get("id").asLong();
        assertThat(http.delete("/_testkit/faults/" + id).status()).isEqualTo(204);
        assertThat(capture()).isEqualTo(200);
        assertThat(http.delete("/_testkit/faults").status()).isEqualTo(204);
        assertThat(http.get("/_testkit/faults").json().get("results")).isEmpty();
    }

    @Test
    void afterPassingWorksOverHttp() {
        http.post(
                "/_testkit/faults",
                "{\"path\":\"/batch/\",\"status\":503,\"after_passing\":1,\"times\":1}");

        assertThat(capture()).isEqualTo(200);
        assertThat(capture()).isEqualTo(503);
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void anOutageOverHttpUsesDuration() {
        http.post("/_testkit/faults", "{\"type\":\"status\",\"status\":503,\"duration_ms\":1000}");

        assertThat(capture()).isEqualTo(503);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(capture()).isEqualTo(200);
    }

    @Test
    void testkitRoutesAreNeverFaulted() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.any()).status(500).always());

        assertThat(http.get("/_testkit/health").status()).isEqualTo(200);
    }
}
