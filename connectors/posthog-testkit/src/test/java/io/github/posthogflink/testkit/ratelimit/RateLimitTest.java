package io.github.posthogflink.testkit.ratelimit;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope.Rate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** PostHog's throttles of personal-key calls, on the testkit's clock. */
class RateLimitTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    static final String OTHER_KEY = "phx_testkit_second_personal_key";

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().clock(CLOCK).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
        posthog.rateLimits().setEnabled(false);
        posthog.rateLimits().setLegacyQueryLimits(false);
        posthog.rateLimits().restoreDefaultRates();
        posthog.seed().personalApiKey(OTHER_KEY, "*");
    }

    private int persons() {
        return http.api("GET", http.project("persons/"), null).status();
    }

    private int call(String method, String path, String key) {
        byte[] body = "POST".equals(method) ? "{}".getBytes(StandardCharsets.UTF_8) : null;
        return http.send(
                        method,
                        path,
                        body,
                        "Authorization",
                        "Bearer " + key,
                        "Content-Type",
                        "application/json")
                .status();
    }

    @Test
    void offByDefault() {
        for (int i = 0; i < 300; i++) {
            assertThat(persons()).isEqualTo(200);
        }
    }

    @Test
    void personsReadsAllow240PerMinuteThen429WithRetryAfter() {
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
    void personsReadsHaveNoHourlyCap() {
        // posthog/api/person.py: personal-key reads get ClickHouseBurstRateThrottle only.
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(4, Duration.ofMinutes(1)));
        int served = 0;
        for (int minute = 0; minute < 90; minute++) {
            for (int i = 0; i < 4; i++) {
                assertThat(persons()).as("minute %d", minute).isEqualTo(200);
                served++;
            }
            assertThat(persons()).isEqualTo(429);
            CLOCK.advance(Duration.ofMinutes(1));
        }
        assertThat(served).isEqualTo(360);
    }

    @Test
    void personDeletesHaveTheirOwnBuckets() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(1, Duration.ofMinutes(1)));
        posthog.rateLimits()
                .setRates(ThrottleScope.PERSONS_DELETE_BURST, new Rate(2, Duration.ofMinutes(1)));
        String person = http.project("persons/0189d9a2-8f3e-0000-5a1c-7d3a1f2b9e01/");

        assertThat(persons()).isEqualTo(200);
        assertThat(persons()).isEqualTo(429);
        assertThat(http.api("DELETE", person, null).status()).as("no such person").isEqualTo(404);
        assertThat(
                        http.api("POST", http.project("persons/bulk_delete/"), "{\"ids\":[\"x\"]}")
                                .status())
                .isEqualTo(202);
        assertThat(http.api("DELETE", person, null).status()).isEqualTo(429);
    }

    @Test
    void bucketsAreKeptPerPersonalKey() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(2, Duration.ofMinutes(1)));
        String path = http.project("persons/");

        assertThat(call("GET", path, posthog.personalApiKey())).isEqualTo(200);
        assertThat(call("GET", path, posthog.personalApiKey())).isEqualTo(200);
        assertThat(call("GET", path, posthog.personalApiKey())).isEqualTo(429);
        assertThat(call("GET", path, OTHER_KEY)).as("another key, another bucket").isEqualTo(200);
        assertThat(call("GET", path, "phx_unknown")).as("not a key: 401, not 429").isEqualTo(401);
    }

    @Test
    void personsAndInsightsShareClickHousesBurstBucket() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(2, Duration.ofMinutes(1)));

        assertThat(persons()).isEqualTo(200);
        assertThat(http.api("GET", http.project("insights/"), null).status()).isEqualTo(200);
        assertThat(http.api("GET", http.project("session_recordings/"), null).status())
                .isEqualTo(429);
        assertThat(persons()).isEqualTo(429);
        assertThat(http.api("GET", http.project("dashboards/"), null).status()).isEqualTo(200);
    }

    @Test
    void aRefusedRequestStillCountsInTheScopesThatHadRoom() {
        // DRF asks every throttle; those that allow the request record it, even when another
        // one refuses it (so retrying into a 429 spends the other windows too).
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits().setRates(ThrottleScope.BURST, new Rate(3, Duration.ofHours(1)));
        posthog.rateLimits().setRates(ThrottleScope.SUSTAINED, new Rate(1, Duration.ofMinutes(1)));
        String path = http.project("dashboards/");

        assertThat(http.api("GET", path, null).status()).isEqualTo(200);
        assertThat(http.api("GET", path, null).status()).isEqualTo(429);
        assertThat(http.api("GET", path, null).status()).isEqualTo(429);
        CLOCK.advance(Duration.ofMinutes(1));

        TestHttp.Reply reply = http.api("GET", path, null);

        assertThat(reply.status())
                .as("the two refused requests filled the other window")
                .isEqualTo(429);
        assertThat(Long.parseLong(reply.header("Retry-After"))).isEqualTo(3540);
    }

    @Test
    void theQueryApiOfACurrentTeamCountsStartsAndPollsTogether() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.API_QUERIES_SUSTAINED, new Rate(3, Duration.ofHours(1)));
        String query = "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"select 1\"}}";

        assertThat(http.api("POST", http.project("query/"), query).status()).isEqualTo(200);
        assertThat(http.api("GET", http.project("query/nope/"), null).status()).isNotEqualTo(429);
        assertThat(http.api("POST", http.project("query/"), query).status()).isEqualTo(200);
        assertThat(http.api("GET", http.project("query/nope/"), null).status()).isEqualTo(429);
        assertThat(persons()).as("not the ClickHouse buckets").isEqualTo(200);
    }

    @Test
    void legacyQueryTeamsGetHogQLsOwnLimitAndPollWithClickHouse() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits().setLegacyQueryLimits(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(2, Duration.ofMinutes(1)));
        String hogql = "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"select 1\"}}";
        for (int i = 0; i < 120; i++) {
            assertThat(http.api("POST", http.project("query/"), hogql).status()).isEqualTo(200);
        }

        TestHttp.Reply throttled = http.api("POST", http.project("query/"), hogql);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isEqualTo(3600);
        assertThat(http.api("GET", http.project("query/nope/"), null).status()).isNotEqualTo(429);
        assertThat(persons()).isEqualTo(200);
        assertThat(persons()).as("the poll and the read share clickhouse_burst").isEqualTo(429);
    }

    /**
     * {@code QueryViewSet.get_throttles} answers {@code get_query_log} with the API-queries
     * throttles before it looks at the team's limits: on a legacy team too, the log is not counted
     * with the ClickHouse polls and persons reads.
     */
    @Test
    void theQueryLogCountsInTheApiQueriesBucketsOnLegacyTeamsToo() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits().setLegacyQueryLimits(true);
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(1, Duration.ofMinutes(1)));
        posthog.rateLimits()
                .setRates(ThrottleScope.API_QUERIES_BURST, new Rate(2, Duration.ofMinutes(1)));
        String log = http.project("query/some-query/log/");

        assertThat(http.api("GET", log, null).status()).isNotEqualTo(429);
        assertThat(http.api("GET", log, null).status()).isNotEqualTo(429);
        assertThat(http.api("GET", log, null).status()).isEqualTo(429);
        assertThat(persons()).as("clickhouse_burst untouched by the log").isEqualTo(200);
        assertThat(http.api("GET", http.project("query/some-query/"), null).status())
                .as("a poll counts in clickhouse_burst")
                .isEqualTo(429);
    }

    @Test
    void theHourlyRateAlsoApplies() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits().setRates(ThrottleScope.BURST, new Rate(3, Duration.ofMinutes(1)));
        posthog.rateLimits().setRates(ThrottleScope.SUSTAINED, new Rate(5, Duration.ofHours(1)));
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
    void definitionsHaveTheirOwnLimitAndCaptureFlagsAndOtherKeysAreNeverThrottled() {
        posthog.rateLimits().setEnabled(true);
        posthog.rateLimits()
                .setRates(
                        ThrottleScope.FEATURE_FLAG_EVALUATIONS, new Rate(1, Duration.ofMinutes(1)));
        String definitions = "/flags/definitions?token=" + posthog.projectApiKey();

        assertThat(
                        http.get(definitions, "Authorization", "Bearer " + posthog.personalApiKey())
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.get(definitions, "Authorization", "Bearer " + posthog.personalApiKey())
                                .status())
                .isEqualTo(429);
        // PostHog throttles personal-key calls only: the secure flags key is not one.
        assertThat(
                        http.get(definitions, "Authorization", "Bearer " + posthog.secureFlagsKey())
                                .status())
                .isEqualTo(200);
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
    void throttleClassesFollowPostHogsViewsets() {
        assertThat(ThrottleClass.of("GET", "/api/environments/1/persons/", false, false))
                .isEqualTo(ThrottleClass.PERSONS);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/persons/u/", false, false))
                .isEqualTo(ThrottleClass.PERSONS);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/persons/u/split/", false, false))
                .isEqualTo(ThrottleClass.PERSONS);
        assertThat(ThrottleClass.of("DELETE", "/api/projects/1/persons/u/", false, false))
                .isEqualTo(ThrottleClass.PERSONS_DELETE);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/persons/bulk_delete/", false, false))
                .isEqualTo(ThrottleClass.PERSONS_DELETE);
        assertThat(
                        ThrottleClass.of(
                                "POST", "/api/projects/1/persons/u/delete_events/", false, false))
                .isEqualTo(ThrottleClass.PERSONS_DELETE);
        assertThat(ThrottleClass.PERSONS.scopes()).containsExactly(ThrottleScope.CLICKHOUSE_BURST);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/insights/3/", false, false))
                .isEqualTo(ThrottleClass.ANALYTICS);
        assertThat(ThrottleClass.of("PATCH", "/api/projects/1/dashboards/3/", false, false))
                .isEqualTo(ThrottleClass.CRUD);
        assertThat(ThrottleClass.of("GET", "/api/projects/1/query/abc/", false, false))
                .isEqualTo(ThrottleClass.QUERY);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/query/", true, true))
                .isEqualTo(ThrottleClass.LEGACY_HOGQL_QUERY);
        assertThat(ThrottleClass.of("POST", "/api/projects/1/query/", false, true))
                .isEqualTo(ThrottleClass.LEGACY_QUERY);
        assertThat(ThrottleClass.of("GET", "/api/feature_flag/local_evaluation/", false, false))
                .isEqualTo(ThrottleClass.LOCAL_EVALUATION);
        assertThat(ThrottleClass.of("GET", "/api/personal_api_keys/@current/", false, false))
                .isEqualTo(ThrottleClass.CRUD);
        assertThat(ThrottleClass.of("POST", "/batch/", false, false)).isNull();
        assertThat(ThrottleClass.of("POST", "/flags", false, false)).isNull();
    }
}
