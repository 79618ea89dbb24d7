package io.github.posthogflink.testkit.ratelimit;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().clock(CLOCK).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
        posthog.rateLimits().setEnabled(false);
        for (ThrottleClass throttle : ThrottleClass.values()) {
            posthog.rateLimits()
                    .setRates(throttle, throttle.defaultRates().toArray(new ThrottleClass.Rate[0]));
        }
    }

    private int persons() {
        return http.api("GET", http.project("persons/"), null).status();
    }

    @Test
    void offByDefault() {
        for (int i = 0; i < 300; i++) {
            assertThat(persons()).isEqualTo(200);
        }
    }

    @Test
    void analyticsAllows240PerMinuteThen429WithRetryAfter() {
        posthog.rateLimits().setEnabled(true);
        for (int i = 0; i < 240; i++) {
            assertThat(persons()).isEqualTo(200);
        }
        CLOCK.advance(Duration.ofSeconds(20));

        TestHttp.Reply throttled = http.api("GET", http.project("persons/"), null);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isEqualTo("40");
        assertThat(throttled.json().toString())
                .isEqualTo(
                        "{\"type\":\"throttled_error\",\"code\":\"throttled\",\"detail\":\"Request"
                            + " was throttled. Expected available in 40 seconds.\",\"attr\":null}");
        CLOCK.advance(Duration.ofSeconds(40));
        assertThat(persons()).isEqualTo(200);
    }

    @Test
    void theHourlyRateAlsoApplies() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(
                        ThrottleClass.CRUD,
                        new ThrottleClass.Rate(3, Duration.ofMinutes(1)),
                        new ThrottleClass.Rate(5, Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(http.api("GET", http.project("annotations/"), null).status()).isEqualTo(200);
        }
        CLOCK.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 2; i++) {
            assertThat(http.api("GET", http.project("dashboards/"), null).status()).isEqualTo(200);
        }
        CLOCK.advance(Duration.ofMinutes(1));

        TestHttp.Reply reply = http.api("POST", http.project("dashboards/"), "{}");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(Long.parseLong(reply.header("Retry-After"))).isEqualTo(3480);
    }

    @Test
    void classesAreSeparateAndCaptureAndFlagsAreNeverThrottled() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(
                        ThrottleClass.ANALYTICS, new ThrottleClass.Rate(1, Duration.ofMinutes(1)));
        posthog.rateLimits()
                .setRates(ThrottleClass.QUERY, new ThrottleClass.Rate(1, Duration.ofHours(1)));
        posthog.rateLimits()
                .setRates(
                        ThrottleClass.LOCAL_EVALUATION,
                        new ThrottleClass.Rate(1, Duration.ofMinutes(1)));

        assertThat(persons()).isEqualTo(200);
        assertThat(persons()).isEqualTo(429);
        assertThat(http.api("GET", http.project("session_recordings/"), null).status())
                .isEqualTo(429);
        assertThat(http.api("GET", http.project("insights/"), null).status()).isEqualTo(429);
        assertThat(http.api("POST", http.project("insights/"), "{}").status()).isEqualTo(429);
        assertThat(http.api("POST", http.project("dashboards/"), "{}").status()).isEqualTo(201);
        assertThat(http.api("GET", http.project("query/x/"), null).status()).isEqualTo(404);
        assertThat(http.api("GET", http.project("query/x/"), null).status()).isEqualTo(429);
        String auth = "Bearer " + posthog.personalApiKey();
        assertThat(
                        http.get(
                                        "/flags/definitions?token=" + posthog.projectApiKey(),
                                        "Authorization",
                                        auth)
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.get(
                                        "/flags/definitions?token=" + posthog.projectApiKey(),
                                        "Authorization",
                                        auth)
                                .status())
                .isEqualTo(429);
        for (int i = 0; i < 5; i++) {
            assertThat(
                            http.post(
                                            "/batch/",
                                            "{\"api_key\":\""
                                                    + posthog.projectApiKey()
                                                    + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\"}]}")
                                    .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void switchableOverHttp() {
        assertThat(
                        http.post("/_testkit/rate_limits", "{\"enabled\":true}")
                                .json()
                                .get("enabled")
                                .asBoolean())
                .isTrue();
        assertThat(posthog.rateLimits().enabled()).isTrue();
        assertThat(
                        http.post("/_testkit/rate_limits", "{\"enabled\":false}")
                                .json()
                                .get("enabled")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void throttleClassesFollowPostHogsScopes() {
        assertThat(ThrottleClass.of("GET", "/api/environments/1/persons/"))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("GET", "/api/projects/1/insights/3/"))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/insights/3/"))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/dashboards/3/"))
                .isEqualTo(ThrottleClass.CRUD);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/persons/u/"))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("DELETE", "/api/projects/1/persons/u/"))
                .isEqualTo(ThrottleClass.PERSONS_DELETE);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/persons/bulk_delete/"))
                .isEqualTo(ThrottleClass.PERSONS_DELETE);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/persons/u/split/"))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/query/"))
                .isEqualTo(ThrottleClass.QUERY);
        assertThat(ThrottleClass.of("GET", "/api/feature_flag/local_evaluation/"))
                .isEqualTo(ThrottleClass.LOCAL_EVALUATION);
        assertThat(ThrottleClass.of("POST", "/batch/")).isNull();
        assertThat(ThrottleClass.of("POST", "/flags")).isNull();
    }
}
