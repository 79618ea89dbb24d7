package io.github.posthogflink.testkit.faults;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault applied to matching requests: always, to the next N, with a seeded probability, or for a
 * time window (an outage) measured on the server's clock; optionally only after the first K
 * matching requests have passed. Build with {@link #matching}.
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
    private volatile Instant windowEnd;
    private final AtomicInteger fired = new AtomicInteger();

    private FaultRule(
            RouteMatcher matcher,
            Fault fault,
            Integer times,
            Double probability,
            Long seed,
            Duration window,
            int passFirst) {
        this.matcher = matcher;
        this.fault = fault;
        this.toPass = new AtomicInteger(passFirst);
        this.remaining = times == null ? null : new AtomicInteger(times);
        this.probability = probability == null ? 1.0 : probability;
        this.random = probability == null ? null : new Random(seed == null ? 0L : seed);
        this.window = window;
    }

    public static Builder matching(RouteMatcher matcher) {
        return new Builder(matcher);
    }

    /** Starts the window (if any) on this clock; called when the rule is installed. */
    void activate(Clock clock) {
        if (window != null) {
            windowEnd = clock.instant().plus(window);
        }
    }

    /** Whether the rule fires for this request, consuming one of its N when it does. */
    boolean fires(String method, String path, Clock clock) {
        if (!matcher.matches(method, path)) {
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

    public Instant windowEnd() {
        return windowEnd;
    }

    /** Builds a rule: pick the fault, then how often it applies. */
    public static final class Builder {
        private final RouteMatcher matcher;
        private Fault fault;
        private int passFirst;

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

        /** Lets the first {@code requests} matching requests through before the rule applies. */
        public Builder afterPassing(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("requests must be >= 0");
            }
            this.passFirst = requests;
            return this;
        }

        public FaultRule always() {
            return new FaultRule(matcher, required(), null, null, null, null, passFirst);
        }

        public FaultRule times(int nextRequests) {
            return new FaultRule(matcher, required(), nextRequests, null, null, null, passFirst);
        }

        public FaultRule withProbability(double probability, long seed) {
            return new FaultRule(matcher, required(), null, probability, seed, null, passFirst);
        }

        /** Every matching request fails for this long, from when the rule is installed. */
        public FaultRule forDuration(Duration duration) {
            return new FaultRule(matcher, required(), null, null, null, duration, passFirst);
        }

        private Fault required() {
            if (fault == null) {
                throw new IllegalStateException("choose status, delay or resetConnection first");
            }
            return fault;
        }
    }
}
