package io.github.posthogflink.testkit.ratelimit;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * PostHog's (Django REST framework's) sliding-window throttles, one bucket per class and rate,
 * shared by the whole organization. Off by default; time comes from the injected clock.
 */
public final class RateLimiter {
    private final Clock clock;
    private final Map<ThrottleClass, List<ThrottleClass.Rate>> rates =
            new EnumMap<>(ThrottleClass.class);
    private final Map<String, ArrayDeque<Long>> history = new HashMap<>();
    private volatile boolean enabled;

    public RateLimiter(Clock clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
        for (ThrottleClass throttle : ThrottleClass.values()) {
            rates.put(throttle, throttle.defaultRates());
        }
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Replaces a class's rates (e.g. smaller ones, for a quick test). */
    public synchronized void setRates(ThrottleClass throttle, ThrottleClass.Rate... newRates) {
        rates.put(throttle, List.of(newRates));
        history.clear();
    }

    /**
     * Records a request of this class; returns the seconds to wait when it is throttled, else
     * empty.
     */
    public synchronized OptionalLong acquire(ThrottleClass throttle) {
        if (!enabled || throttle == null) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        long wait = 0;
        List<ThrottleClass.Rate> classRates = rates.get(throttle);
        for (int i = 0; i < classRates.size(); i++) {
            ThrottleClass.Rate rate = classRates.get(i);
            ArrayDeque<Long> log =
                    history.computeIfAbsent(throttle + "/" + i, k -> new ArrayDeque<>());
            long period = rate.period().toMillis();
            while (!log.isEmpty() && log.peekFirst() <= now - period) {
                log.pollFirst();
            }
            if (log.size() >= rate.requests()) {
                wait = Math.max(wait, period - (now - log.peekFirst()));
            }
        }
        if (wait > 0) {
            return OptionalLong.of(Math.max(1, (wait + 999) / 1000));
        }
        for (int i = 0; i < classRates.size(); i++) {
            history.get(throttle + "/" + i).addLast(now);
        }
        return OptionalLong.empty();
    }

    public synchronized void reset() {
        history.clear();
    }
}
