package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitPolicyTest {
    private static Window perMinute(int n) {
        return new Window(n, Duration.ofMinutes(1));
    }

    private static Window perHour(int n) {
        return new Window(n, Duration.ofHours(1));
    }

    @Test
    void defaultsArePostHogsThrottlesOfPersonalKeyCalls() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults();

        assertThat(policy.isEnabled()).isTrue();
        assertThat(policy.share()).isEqualTo(1.0);
        assertThat(policy.effectiveWindows(RateLimitClass.CRUD))
                .containsExactly(perMinute(480), perHour(4800));
        // posthog/api/person.py: ClickHouseBurstRateThrottle only; deletes have their own pair.
        assertThat(policy.effectiveWindows(RateLimitClass.PERSONS)).containsExactly(perMinute(240));
        assertThat(policy.effectiveWindows(RateLimitClass.PERSONS_DELETE))
                .containsExactly(perMinute(480), perHour(4800));
        assertThat(policy.effectiveWindows(RateLimitClass.ANALYTICS))
                .containsExactly(perMinute(240), perHour(1200));
        // posthog/api/query.py on current teams: APIQueries throttles for every action.
        assertThat(policy.effectiveWindows(RateLimitClass.QUERY))
                .containsExactly(perMinute(240), perHour(2400));
        assertThat(policy.buckets(RateLimitClass.QUERY_STATUS))
                .isEqualTo(policy.buckets(RateLimitClass.QUERY));
        assertThat(policy.effectiveWindows(RateLimitClass.FLAG_LOCAL_EVALUATION))
                .containsExactly(perMinute(600));
        assertThat(policy.effectiveWindows(RateLimitClass.UNLIMITED)).isEmpty();
    }

    @Test
    void personsAndInsightsShareClickHousesBurstBucket() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults();

        assertThat(policy.buckets(RateLimitClass.PERSONS)).containsExactly("clickhouse_burst");
        assertThat(policy.buckets(RateLimitClass.ANALYTICS))
                .containsExactly("clickhouse_burst", "clickhouse_sustained");
        assertThat(policy.buckets(RateLimitClass.PERSONS_DELETE))
                .doesNotContain("clickhouse_burst");
    }

    @Test
    void legacyQueryTeamsCountHogQLInItsOwnBucketAndPollsWithClickHouse() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults().withLegacyQueryLimits();

        assertThat(policy.buckets(RateLimitClass.QUERY)).containsExactly("query");
        assertThat(policy.effectiveWindows(RateLimitClass.QUERY)).containsExactly(perHour(120));
        assertThat(policy.buckets(RateLimitClass.QUERY_STATUS))
                .isEqualTo(policy.buckets(RateLimitClass.ANALYTICS));
        assertThat(policy.buckets(RateLimitClass.QUERY_LOG))
                .containsExactly("api_queries_burst", "api_queries_sustained");
    }

    @Test
    void currentTeamsCountEveryQueryCallInTheApiQueriesBuckets() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults();

        for (RateLimitClass c :
                List.of(
                        RateLimitClass.QUERY,
                        RateLimitClass.QUERY_STATUS,
                        RateLimitClass.QUERY_LOG)) {
            assertThat(policy.buckets(c))
                    .as(c.name())
                    .containsExactly("api_queries_burst", "api_queries_sustained");
        }
    }

    @Test
    void withLimitsOfAScopeChangesEveryClassThatCountsInIt() {
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(ThrottleScope.CLICKHOUSE_BURST, perMinute(60));

        assertThat(policy.effectiveWindows(RateLimitClass.PERSONS)).containsExactly(perMinute(60));
        assertThat(policy.effectiveWindows(RateLimitClass.ANALYTICS))
                .containsExactly(perMinute(60), perHour(1200));
    }

    @Test
    void splitAcrossGivesEachInstanceAnEqualShareRoundedDown() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults().splitAcross(4);

        assertThat(policy.share()).isEqualTo(0.25);
        assertThat(policy.effectiveWindows(RateLimitClass.CRUD))
                .containsExactly(perMinute(120), perHour(1200));
        assertThat(policy.effectiveWindows(RateLimitClass.ANALYTICS))
                .containsExactly(perMinute(60), perHour(300));
        assertThat(policy.effectiveWindows(RateLimitClass.QUERY))
                .containsExactly(perMinute(60), perHour(600));

        RateLimitPolicy seven = RateLimitPolicy.postHogDefaults().splitAcross(7);
        // 240 / 7 = 34.28…, 1200 / 7 = 171.4…: never above the share.
        assertThat(seven.effectiveWindows(RateLimitClass.ANALYTICS))
                .containsExactly(perMinute(34), perHour(171));
        assertThat(7 * 34).isLessThanOrEqualTo(240);
    }

    @Test
    void sharesCompose() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults().withShare(0.5).splitAcross(2);

        assertThat(policy.share()).isEqualTo(0.25);
        assertThat(policy.effectiveWindows(RateLimitClass.CRUD))
                .containsExactly(perMinute(120), perHour(1200));
    }

    @Test
    void withShareReplacesTheShare() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults().withShare(0.1).withShare(0.5);

        assertThat(policy.share()).isEqualTo(0.5);
        assertThat(policy.effectiveWindows(RateLimitClass.FLAG_LOCAL_EVALUATION))
                .containsExactly(perMinute(300));
    }

    @Test
    void aTinyShareStillAllowsOneCallPerWindow() {
        RateLimitPolicy policy = RateLimitPolicy.postHogDefaults().splitAcross(10_000);

        assertThat(policy.effectiveWindows(RateLimitClass.ANALYTICS))
                .containsExactly(perMinute(1), perHour(1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.5, 1.01, Double.NaN})
    void aShareOutsideZeroToOneIsRefused(double share) {
        assertThatThrownBy(() -> RateLimitPolicy.postHogDefaults().withShare(share))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitAcrossNeedsAtLeastOneInstance() {
        assertThatThrownBy(() -> RateLimitPolicy.postHogDefaults().splitAcross(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimitPolicy.postHogDefaults().splitAcross(1).share()).isEqualTo(1.0);
    }

    @Test
    void withLimitsReplacesOneClassAndKeepsTheShare() {
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.QUERY, perMinute(10), perHour(100))
                        .splitAcross(2);

        assertThat(policy.effectiveWindows(RateLimitClass.QUERY))
                .containsExactly(perMinute(5), perHour(50));
        assertThat(policy.effectiveWindows(RateLimitClass.CRUD))
                .containsExactly(perMinute(240), perHour(2400));
    }

    @Test
    void disabledHasNoWindows() {
        RateLimitPolicy policy = RateLimitPolicy.disabled().splitAcross(3);

        assertThat(policy.isEnabled()).isFalse();
        for (RateLimitClass c : RateLimitClass.values()) {
            assertThat(policy.effectiveWindows(c)).isEmpty();
        }
        assertThat(policy.toString()).contains("disabled");
    }

    @Test
    void windowsMustBePositive() {
        assertThatThrownBy(() -> new Window(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Window(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.CRUD, new Window(20, Duration.ofMillis(500)))
                        .splitAcross(4);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(policy);
        }
        RateLimitPolicy copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RateLimitPolicy) in.readObject();
        }

        for (RateLimitClass c : RateLimitClass.values()) {
            assertThat(copy.effectiveWindows(c)).isEqualTo(policy.effectiveWindows(c));
        }
        assertThat(copy.share()).isEqualTo(0.25);
        assertThat(copy.effectiveWindows(RateLimitClass.CRUD))
                .isEqualTo(List.of(new Window(5, Duration.ofMillis(500))));
        assertThat(copy.toString()).isEqualTo(policy.toString());
    }
}
