package io.github.posthogflink.testkit.quota;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The project's spent billing quotas, switched on by tests ({@code seed().quotaLimit(...)}, or
 * {@code POST /_testkit/quota} for the standalone jar: {@link QuotaApi}). What PostHog does for a
 * quota-limited project, and the testkit with it:
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

        /** The resource of this wire name, or null. */
        public static Resource fromWireName(String name) {
            for (Resource r : values()) {
                if (r.wireName.equals(name)) {
                    return r;
                }
            }
            return null;
        }

        /** Every resource's wire name, in declaration order. */
        public static List<String> wireNames() {
            return Arrays.stream(values()).map(Resource::wireName).toList();
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

    /** Makes exactly these resources limited. */
    public synchronized void set(Set<Resource> resources) {
        limited.clear();
        limited.addAll(resources);
    }

    /** The limited resources, in declaration order. */
    public synchronized Set<Resource> limited() {
        return limited.isEmpty() ? EnumSet.noneOf(Resource.class) : EnumSet.copyOf(limited);
    }

    public synchronized void clear() {
        limited.clear();
    }
}
