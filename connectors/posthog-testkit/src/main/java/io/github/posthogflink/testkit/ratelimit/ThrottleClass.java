package io.github.posthogflink.testkit.ratelimit;

import java.time.Duration;
import java.util.List;

/** PostHog's private-API throttle classes (per organization) and their default rates. */
public enum ThrottleClass {
    /**
     * Persons (but their deletes), insights (every action: the viewset's {@code throttle_classes}
     * are ClickHouse's), session recordings: 240/min and 1200/h.
     */
    ANALYTICS(new Rate(240, Duration.ofMinutes(1)), new Rate(1200, Duration.ofHours(1))),
    /** The query API: 2400/h. */
    QUERY(new Rate(2400, Duration.ofHours(1))),
    /** Flag definitions for local evaluation: 600/min. */
    LOCAL_EVALUATION(new Rate(600, Duration.ofMinutes(1))),
    /**
     * Person deletes with a personal API key ({@code destroy}, {@code bulk_delete}): PostHog's
     * {@code PersonsDelete*} throttles, own buckets, 480/min and 4800/h.
     */
    PERSONS_DELETE(new Rate(480, Duration.ofMinutes(1)), new Rate(4800, Duration.ofHours(1))),
    /** Other CRUD: 480/min and 4800/h. */
    CRUD(new Rate(480, Duration.ofMinutes(1)), new Rate(4800, Duration.ofHours(1)));

    /** At most {@code requests} per {@code period}. */
    public record Rate(int requests, Duration period) {}

    private final List<Rate> defaults;

    ThrottleClass(Rate... defaults) {
        this.defaults = List.of(defaults);
    }

    public List<Rate> defaultRates() {
        return defaults;
    }

    /** The class of a request, or null when it is not throttled (capture, /flags, testkit). */
    public static ThrottleClass of(String method, String path) {
        if (path.matches("/flags/definitions/?|/api/feature_flag/local_evaluation/?")) {
            return LOCAL_EVALUATION;
        }
        if (!path.startsWith("/api/")) {
            return null;
        }
        if (path.matches("/api/(projects|environments)/[^/]+/query(/.*)?")) {
            return QUERY;
        }
        if (isPersonDelete(method, path)) {
            return PERSONS_DELETE;
        }
        if (path.matches(
                "/api/(projects|environments)/[^/]+/(persons|session_recordings|insights)(/.*)?")) {
            return ANALYTICS;
        }
        return CRUD;
    }

    private static boolean isPersonDelete(String method, String path) {
        String persons = "/api/(projects|environments)/[^/]+/persons/";
        return ("DELETE".equals(method) && path.matches(persons + "[^/]+/?"))
                || ("POST".equals(method) && path.matches(persons + "bulk_delete/?"));
    }
}
