package io.github.posthogflink.testkit.ratelimit;

import java.util.List;
import java.util.regex.Pattern;

import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.API_QUERIES_BURST;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.API_QUERIES_SUSTAINED;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.BURST;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.CLICKHOUSE_BURST;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.CLICKHOUSE_SUSTAINED;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.FEATURE_FLAG_EVALUATIONS;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.HOGQL_QUERY;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.PERSONS_DELETE_BURST;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.PERSONS_DELETE_SUSTAINED;
import static io.github.posthogflink.testkit.ratelimit.ThrottleScope.SUSTAINED;

/**
 * Which throttles PostHog applies to a personal-key request, by its route: the viewsets' {@code
 * get_throttles} / {@code throttle_classes}.
 */
public enum ThrottleClass {
    /** Persons calls but deletes: {@code ClickHouseBurstRateThrottle} only, no hourly cap. */
    PERSONS(CLICKHOUSE_BURST),
    /** {@code destroy}, {@code bulk_delete}, {@code delete_events}, {@code delete_recordings}. */
    PERSONS_DELETE(PERSONS_DELETE_BURST, PERSONS_DELETE_SUSTAINED),
    /** Insights, session recordings and their playlists, every action. */
    ANALYTICS(CLICKHOUSE_BURST, CLICKHOUSE_SUSTAINED),
    /**
     * Every action of the query API of a current team; the query log ({@code get_query_log}) on
     * every team, legacy ones too.
     */
    QUERY(API_QUERIES_BURST, API_QUERIES_SUSTAINED),
    /** A HogQL query of a team on the legacy query limits. */
    LEGACY_HOGQL_QUERY(HOGQL_QUERY),
    /** Other query kinds, polls and cancels of a team on the legacy query limits. */
    LEGACY_QUERY(CLICKHOUSE_BURST, CLICKHOUSE_SUSTAINED),
    /** Flag definitions for local evaluation. */
    LOCAL_EVALUATION(FEATURE_FLAG_EVALUATIONS),
    /** Everything else under {@code /api/}: DRF's default throttles. */
    CRUD(BURST, SUSTAINED);

    private static final String TEAM = "/api/(?:projects|environments)/[^/]+/";
    private static final Pattern LOCAL_EVALUATION_PATH =
            Pattern.compile(
                    "/flags/definitions/?|/api/feature_flag/local_evaluation/?|"
                            + TEAM
                            + "feature_flags/local_evaluation/?");
    private static final Pattern QUERY_PATH = Pattern.compile(TEAM + "query(/.*)?");
    private static final Pattern QUERY_LOG_PATH = Pattern.compile(TEAM + "query/[^/]+/log/?");
    private static final Pattern PERSONS_PATH = Pattern.compile(TEAM + "persons(/.*)?");
    private static final Pattern PERSON_DELETE =
            Pattern.compile(TEAM + "persons/(bulk_delete|[^/]+/delete_(events|recordings))/?");
    private static final Pattern PERSON = Pattern.compile(TEAM + "persons/[^/]+/?");
    private static final Pattern ANALYTICS_PATH =
            Pattern.compile(
                    TEAM + "(insights|session_recordings|session_recording_playlists)(/.*)?");

    private final List<ThrottleScope> scopes;

    ThrottleClass(ThrottleScope... scopes) {
        this.scopes = List.of(scopes);
    }

    public List<ThrottleScope> scopes() {
        return scopes;
    }

    /**
     * The class of a request, or null when PostHog does not throttle it here (capture, {@code
     * /flags}, the testkit's own routes). {@code hogqlQuery} tells whether the request starts a
     * {@code HogQLQuery}; it matters only with {@code legacyQueryLimits}.
     */
    public static ThrottleClass of(
            String method, String path, boolean hogqlQuery, boolean legacyQueryLimits) {
        if (LOCAL_EVALUATION_PATH.matcher(path).matches()) {
            return LOCAL_EVALUATION;
        }
        if (!path.startsWith("/api/")) {
            return null;
        }
        if (QUERY_PATH.matcher(path).matches()) {
            // QueryViewSet.get_throttles answers get_query_log before the team's limits.
            if (!legacyQueryLimits || QUERY_LOG_PATH.matcher(path).matches()) {
                return QUERY;
            }
            return hogqlQuery ? LEGACY_HOGQL_QUERY : LEGACY_QUERY;
        }
        if (PERSONS_PATH.matcher(path).matches()) {
            boolean delete =
                    ("DELETE".equals(method) && PERSON.matcher(path).matches())
                            || ("POST".equals(method) && PERSON_DELETE.matcher(path).matches());
            return delete ? PERSONS_DELETE : PERSONS;
        }
        if (ANALYTICS_PATH.matcher(path).matches()) {
            return ANALYTICS;
        }
        return CRUD;
    }
}
