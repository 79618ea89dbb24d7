package io.github.posthogflink.testkit.quota;

import java.util.EnumSet;
import java.util.Set;

/**
 * The project's spent billing quotas, switched on by tests ({@code seed().quotaLimit(...)}). What
 * PostHog does for a quota-limited project, and the testkit with it:
 *
 * <ul>
 *   <li>{@link Resource#EVENTS}: capture v0 answers {@code 200 {"status":"Ok"}} and drops every
 *       event ({@code rust/capture} answers OK "to avoid clients retrying over and over"); capture
 *       v1 answers 429 {@code billing_limit_exceeded} ({@code v1/quota_limiter_shim.rs}).
 *   <li>{@link Resource#FEATURE_FLAGS}: {@code /flags} answers no flag and {@code "quotaLimited":
 *       ["feature_flags"]} ({@code rust/feature-flags} {@code check_limits}).
 * </ul>
 */
public final class QuotaLimits {
    /** A billable resource, named as PostHog's quota limiter names it. */
    public enum Resource {
        EVENTS("events"),
        FEATURE_FLAGS("feature_flags");

        private final String wireName;

        Resource(String wireName) {
            this.wireName = wireName;
        }

        /** The name in {@code quotaLimited} lists, e.g. {@code feature_flags}. */
        public String wireName() {
            return wireName;
        }
    }

    private final Set<Resource> limited = EnumSet.noneOf(Resource.class);

    public synchronized void limit(Resource resource) {
        limited.add(resource);
    }

    public synchronized void lift(Resource resource) {
        limited.remove(resource);
    }

    public synchronized boolean isLimited(Resource resource) {
        return limited.contains(resource);
    }

    public synchronized void clear() {
        limited.clear();
    }
}
