package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client-side budgets: which buckets each {@link RateLimitClass} takes a permit from, and each
 * bucket's windows. By default the buckets are PostHog's {@link ThrottleScope}s, so classes that
 * PostHog counts together (persons reads and insights in {@code clickhouse_burst}) share one here
 * too. PostHog keeps the buckets per personal API key: clients with the same key share them, and
 * {@link #withShare(double)} gives one client (for example one Flink subtask) its part. Calls wait
 * for budget; they do not fail.
 */
public final class RateLimitPolicy implements Serializable {
    private static final long serialVersionUID = 2L;

    private final boolean enabled;
    private final EnumMap<RateLimitClass, List<String>> bucketsOfClass;
    private final LinkedHashMap<String, List<Window>> bucketWindows;
    private final double share;

    private RateLimitPolicy(
            boolean enabled,
            EnumMap<RateLimitClass, List<String>> bucketsOfClass,
            LinkedHashMap<String, List<Window>> bucketWindows,
            double share) {
        this.enabled = enabled;
        this.bucketsOfClass = bucketsOfClass;
        this.bucketWindows = bucketWindows;
        this.share = share;
    }

    /** PostHog's limits on current teams, the whole budget for this client. */
    public static RateLimitPolicy postHogDefaults() {
        EnumMap<RateLimitClass, List<String>> classes = new EnumMap<>(RateLimitClass.class);
        LinkedHashMap<String, List<Window>> buckets = new LinkedHashMap<>();
        for (ThrottleScope scope : ThrottleScope.values()) {
            buckets.put(scope.postHogName(), List.of(scope.defaultWindow()));
        }
        for (RateLimitClass c : RateLimitClass.values()) {
            classes.put(c, names(c.defaultScopes()));
        }
        return new RateLimitPolicy(true, classes, buckets, 1.0);
    }

    /** No client-side limiting. */
    public static RateLimitPolicy disabled() {
        return new RateLimitPolicy(
                false, new EnumMap<>(RateLimitClass.class), new LinkedHashMap<>(), 1.0);
    }

    /**
     * The query limits of teams that PostHog keeps on its legacy query throttles ({@code
     * API_QUERIES_LEGACY_TEAM_LIST} in {@code posthog/api/query.py}): starting a HogQL query counts
     * in {@link ThrottleScope#HOGQL_QUERY} (120/h), polls and cancels in the ClickHouse buckets
     * (240/min and 1200/h, shared with insights and recordings); the query log stays in the
     * API-queries buckets ({@link RateLimitClass#QUERY_LOG}).
     */
    public RateLimitPolicy withLegacyQueryLimits() {
        EnumMap<RateLimitClass, List<String>> classes = new EnumMap<>(bucketsOfClass);
        classes.put(RateLimitClass.QUERY, names(List.of(ThrottleScope.HOGQL_QUERY)));
        classes.put(
                RateLimitClass.QUERY_STATUS,
                names(List.of(ThrottleScope.CLICKHOUSE_BURST, ThrottleScope.CLICKHOUSE_SUSTAINED)));
        return new RateLimitPolicy(enabled, classes, bucketWindows, share);
    }

    /**
     * Gives one class a budget of its own with these windows, shared with no other class (a test,
     * or a PostHog with other limits).
     */
    public RateLimitPolicy withLimits(RateLimitClass limitClass, Window... classWindows) {
        String bucket = "class:" + limitClass.name();
        EnumMap<RateLimitClass, List<String>> classes = new EnumMap<>(bucketsOfClass);
        classes.put(limitClass, List.of(bucket));
        LinkedHashMap<String, List<Window>> buckets = new LinkedHashMap<>(bucketWindows);
        buckets.put(bucket, List.of(classWindows));
        return new RateLimitPolicy(true, classes, buckets, share);
    }

    /** Replaces a scope's windows, for every class that counts in it. */
    public RateLimitPolicy withLimits(ThrottleScope scope, Window... scopeWindows) {
        LinkedHashMap<String, List<Window>> buckets = new LinkedHashMap<>(bucketWindows);
        buckets.put(scope.postHogName(), List.of(scopeWindows));
        return new RateLimitPolicy(enabled, bucketsOfClass, buckets, share);
    }

    /** This client's share of every budget, in (0, 1]. */
    public RateLimitPolicy withShare(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + fraction);
        }
        return new RateLimitPolicy(enabled, bucketsOfClass, bucketWindows, fraction);
    }

    /** An equal share for each of {@code instances} parallel clients. */
    public RateLimitPolicy splitAcross(int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1");
        }
        return withShare(share / instances);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public double share() {
        return share;
    }

    /** The buckets a class takes a permit from (empty when disabled or unlimited). */
    public List<String> buckets(RateLimitClass limitClass) {
        return enabled ? bucketsOfClass.getOrDefault(limitClass, List.of()) : List.of();
    }

    /** A bucket's windows after this client's share (at least 1 permit each). */
    public List<Window> effectiveBucketWindows(String bucket) {
        List<Window> result = new ArrayList<>();
        for (Window w : bucketWindows.getOrDefault(bucket, List.of())) {
            int permits = Math.max(1, (int) Math.floor(w.permits() * share));
            result.add(new Window(permits, w.period()));
        }
        return result;
    }

    /** The windows that apply to this client for a class, after its share (at least 1 permit). */
    public List<Window> effectiveWindows(RateLimitClass limitClass) {
        List<Window> result = new ArrayList<>();
        for (String bucket : buckets(limitClass)) {
            result.addAll(effectiveBucketWindows(bucket));
        }
        return result;
    }

    private static List<String> names(List<ThrottleScope> scopes) {
        List<String> names = new ArrayList<>();
        for (ThrottleScope scope : scopes) {
            names.add(scope.postHogName());
        }
        return List.copyOf(names);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "RateLimitPolicy{disabled}";
        }
        Map<RateLimitClass, Map<String, List<Window>>> shown = new EnumMap<>(RateLimitClass.class);
        for (Map.Entry<RateLimitClass, List<String>> c : bucketsOfClass.entrySet()) {
            Map<String, List<Window>> buckets = new LinkedHashMap<>();
            for (String bucket : c.getValue()) {
                buckets.put(bucket, effectiveBucketWindows(bucket));
            }
            shown.put(c.getKey(), buckets);
        }
        return "RateLimitPolicy{share=" + share + ", " + shown + "}";
    }
}
