package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Client-side budgets per {@link RateLimitClass}. A budget can be shared by several clients (for
 * example one per Flink subtask) with {@link #withShare(double)}, so that together they stay under
 * PostHog's per-organization limit. Calls wait for budget; they do not fail.
 */
public final class RateLimitPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean enabled;
    private final EnumMap<RateLimitClass, List<Window>> windows;
    private final double share;

    private RateLimitPolicy(
            boolean enabled, EnumMap<RateLimitClass, List<Window>> windows, double share) {
        this.enabled = enabled;
        this.windows = windows;
        this.share = share;
    }

    /** PostHog's documented limits, the whole budget for this client. */
    public static RateLimitPolicy postHogDefaults() {
        EnumMap<RateLimitClass, List<Window>> windows = new EnumMap<>(RateLimitClass.class);
        for (RateLimitClass c : RateLimitClass.values()) {
            windows.put(c, c.defaultWindows());
        }
        return new RateLimitPolicy(true, windows, 1.0);
    }

    /** No client-side limiting. */
    public static RateLimitPolicy disabled() {
        return new RateLimitPolicy(false, new EnumMap<>(RateLimitClass.class), 1.0);
    }

    /** Replaces the windows of one class. */
    public RateLimitPolicy withLimits(RateLimitClass limitClass, Window... classWindows) {
        EnumMap<RateLimitClass, List<Window>> copy = new EnumMap<>(windows);
        copy.put(limitClass, List.of(classWindows));
        return new RateLimitPolicy(true, copy, share);
    }

    /** This client's share of every budget, in (0, 1]. */
    public RateLimitPolicy withShare(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + fraction);
        }
        return new RateLimitPolicy(enabled, windows, fraction);
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

    /** The windows that apply to this client for a class, after its share (at least 1 permit). */
    public List<Window> effectiveWindows(RateLimitClass limitClass) {
        if (!enabled) {
            return List.of();
        }
        List<Window> result = new ArrayList<>();
        for (Window w : windows.getOrDefault(limitClass, List.of())) {
            int permits = Math.max(1, (int) Math.floor(w.permits() * share));
            result.add(new Window(permits, w.period()));
        }
        return result;
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "RateLimitPolicy{disabled}";
        }
        Map<RateLimitClass, List<Window>> shown = new EnumMap<>(RateLimitClass.class);
        for (RateLimitClass c : windows.keySet()) {
            shown.put(c, effectiveWindows(c));
        }
        return "RateLimitPolicy{share=" + share + ", " + shown + "}";
    }
}
