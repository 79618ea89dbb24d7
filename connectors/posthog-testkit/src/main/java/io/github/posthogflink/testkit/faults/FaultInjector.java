package io.github.posthogflink.testkit.faults;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The installed fault rules; the first that fires on a request decides its fault. */
public final class FaultInjector {
    private final Clock clock;
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    public FaultInjector(Clock clock) {
        this.clock = clock;
    }

    /** Installs a rule (its outage window starts now); returns it for its id and counters. */
    public FaultRule add(FaultRule rule) {
        rule.activate(clock);
        rules.add(rule);
        return rule;
    }

    /** Every matching request gets a 503 for this long. */
    public FaultRule outage(RouteMatcher matcher, Duration duration) {
        return add(FaultRule.matching(matcher).status(503).forDuration(duration));
    }

    public Optional<Fault> faultFor(String method, String path) {
        for (FaultRule rule : rules) {
            if (rule.fires(method, path, clock)) {
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }

    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** Rules still able to fire. */
    public List<FaultRule> activeRules() {
        return rules.stream().filter(r -> !r.exhausted(clock)).toList();
    }

    public boolean remove(long id) {
        return rules.removeIf(r -> r.id() == id);
    }

    public void clear() {
        rules.clear();
    }
}
