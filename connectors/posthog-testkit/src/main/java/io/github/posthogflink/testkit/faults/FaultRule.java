package io.github.posthogflink.testkit.faults;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault applied to matching requests: always, to the next N, with a seeded probability, or for a
 * time window (an outage, every request or a seeded share of them) measured on the server's clock.
 * It may start later: after the first K matching requests have passed, or a delay after it is
 * installed (a programmed schedule). Build with {@link #matching}.
 */
public final class FaultRule {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final RouteMatcher matcher;
    private final Fault fault;
    private final AtomicInteger remaining;
    private final AtomicInteger toPass;
    private final Random random;
    private final double probability;
    private final Duration window;
    private final Duration startAfter;
    private volatile Instant windowStart;
    private volatile Instant windowEnd;
    private final AtomicInteger fired = new AtomicInteger();

    private FaultRule(
            RouteMatcher matcher,
            Fault fault,
            Integer times,
            Double probability,
            Long seed,
            Duration window,
            int passFirst,
            Duration startAfter) {
        this.matcher = matcher;
        this.fault = fault;
        this.toPass = new AtomicInteger(passFirst);
        this.remaining = times == null ? null : new AtomicInteger(times);
        this.probability = probability == null ? 1.0 : probability;
        this.random = probability == null ? null : new Random(seed == null ? 0L : seed);
        this.window = window;
        this.startAfter = startAfter;
    }

    public static Builder matching(RouteMatcher matcher) {
        return new Builder(matcher);
    }

    /** Schedules the rule's start and window (if any) on this clock; called when installed. */
    void activate(Clock clock) {
        windowStart = clock.instant().plus(startAfter);
        if (window != null) {
            windowEnd = windowStart.plus(window);
        }
    }

    /** Whether the rule fires for this request, consuming one of its N when it does. */
    boolean fires(String method, String path, Clock clock) {
        if (!matcher.matches(method, path)) {
            return false;
        }
        if (windowStart != null && clock.instant().isBefore(windowStart)) {
            return false;
        }
        if (toPass.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return false;
        }
        if (windowEnd != null && !clock.instant().isBefore(windowEnd)) {
            return false;
        }
        if (random != null) {
            synchronized (random) {
                if (random.nextDouble() >= probability) {
                    return false;
                }
            }
        }
        if (remaining != null && remaining.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return false;
        }
        fired.incrementAndGet();
        return true;
    }

    boolean exhausted(Clock clock) {
        return (remaining != null && remaining.get() <= 0)
                || (windowEnd != null && !clock.instant().isBefore(windowEnd));
    }

    public long id() {
        return id;
    }

    public RouteMatcher matcher() {
        return matcher;
    }

    public Fault fault() {
        return fault;
    }

    /** How many requests the rule has fired on. */
    public int firedCount() {
        return fired.get();
    }

    /** Requests left for a "next N" rule, else null. */
    public Integer remaining() {
        return remaining == null ? null : remaining.get();
    }

    /** When the rule starts to apply (its installation, unless scheduled later). */
    public Instant windowStart() {
        return windowStart;
    }

    public Instant windowEnd() {
        return windowEnd;
    }

    /** Matching requests still to let through before the rule applies. */
    public int toPass() {
        return toPass.get();
    }

    /** Builds a rule: pick the fault, then how often it applies. */
    public static final class Builder {
        private final RouteMatcher matcher;
        private Fault fault;
        private int passFirst;
        private Duration startAfter = Duration.ZERO;

        private Builder(RouteMatcher matcher) {
            this.matcher = matcher;
        }

        public Builder status(int status) {
            this.fault = new Fault.Status(status, null, null);
            return this;
        }

        public Builder status(int status, int retryAfterSeconds) {
            this.fault = new Fault.Status(status, retryAfterSeconds, null);
            return this;
        }

        public Builder fault(Fault fault) {
            this.fault = fault;
            return this;
        }

        public Builder delay(Duration delay) {
            this.fault = new Fault.Delay(delay);
            return this;
        }

        public Builder resetConnection() {
            this.fault = new Fault.ResetConnection();
            return this;
        }

        /** Handles the request, then closes the connection without the answer. */
        public Builder dropResponse() {
            this.fault = new Fault.DropResponse();
            return this;
        }

        /** Lets the first {@code requests} matching requests through before the rule applies. */
        public Builder afterPassing(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("requests must be >= 0");
            }
            this.passFirst = requests;
            return this;
        }

        /**
         * The rule applies only from {@code delay} after it is installed: an outage at a set time
         * in a run, e.g. {@code startingAfter(ofSeconds(30)).forDuration(ofSeconds(60))}.
         */
        public Builder startingAfter(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must be >= 0");
            }
            this.startAfter = delay;
            return this;
        }

        public FaultRule always() {
            return build(null, null, null, null);
        }

        public FaultRule times(int nextRequests) {
            return build(nextRequests, null, null, null);
        }

        public FaultRule withProbability(double probability, long seed) {
            return build(null, probability, seed, null);
        }

        /** Every matching request fails for this long, from when the rule starts. */
        public FaultRule forDuration(Duration duration) {
            return build(null, null, null, duration);
        }

        /** For this long from when the rule starts, a seeded share of matching requests fails. */
        public FaultRule forDuration(Duration duration, double probability, long seed) {
            return build(null, probability, seed, duration);
        }

        private FaultRule build(Integer times, Double probability, Long seed, Duration window) {
            if (probability != null && (probability < 0 || probability > 1)) {
                throw new IllegalArgumentException("probability must be within [0, 1]");
            }
            return new FaultRule(
                    matcher, required(), times, probability, seed, window, passFirst, startAfter);
        }

        private Fault required() {
            if (fault == null) {
                throw new IllegalStateException(
                        "choose status, delay, resetConnection or dropResponse first");
            }
            return fault;
        }
    }
}
