package io.github.posthogflink.client.ratelimit;

import java.time.Duration;
import java.util.List;

/** PostHog's rate-limit classes for private endpoints, per organization. */
public enum RateLimitClass {
    /** Persons, insights, recordings reads: 240/min and 1200/h. */
    ANALYTICS(
            List.of(new Window(240, Duration.ofMinutes(1)), new Window(1200, Duration.ofHours(1)))),
    /** The query API: 2400/h. */
    QUERY(List.of(new Window(2400, Duration.ofHours(1)))),
    /** Feature flag definitions for local evaluation: 600/min. */
    FLAG_LOCAL_EVALUATION(List.of(new Window(600, Duration.ofMinutes(1)))),
    /** Every other private endpoint: 480/min and 4800/h. */
    CRUD(List.of(new Window(480, Duration.ofMinutes(1)), new Window(4800, Duration.ofHours(1)))),
    /** Public ingestion endpoints (capture, {@code /flags}): no client-side budget. */
    UNLIMITED(List.of());

    private final List<Window> defaultWindows;

    RateLimitClass(List<Window> defaultWindows) {
        this.defaultWindows = defaultWindows;
    }

    /** PostHog's documented limits for this class. */
    public List<Window> defaultWindows() {
        return defaultWindows;
    }

    /** At most {@code permits} calls in any sliding {@code period}. */
    public record Window(int permits, Duration period) implements java.io.Serializable {
        public Window {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be >= 1");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be > 0");
            }
        }
    }
}
