package io.github.posthogflink.testkit.ratelimit;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * PostHog's (Django REST framework's) sliding-window throttles for personal-API-key requests: one
 * bucket per {@link ThrottleScope} and personal key, as {@code PersonalApiKeyRateThrottle} keys
 * them. Requests without a personal key are not throttled here (PostHog's {@code
 * personal_api_key_only}). As DRF's {@code check_throttles}, every scope of a request is asked:
 * those with room record it even when another scope refuses it. Off by default; time comes from the
 * injected clock.
 */
public final class RateLimiter {
    private final Clock clock;
    private final Predicate<String> isPersonalKey;
    private final Map<ThrottleScope, List<ThrottleScope.Rate>> rates =
            new EnumMap<>(ThrottleScope.class);
    private final Map<String, ArrayDeque<Long>> history = new HashMap<>();
    private volatile boolean enabled;
    private volatile boolean legacyQueryLimits;

    /** {@code isPersonalKey} tells the personal keys (the buckets' owners) from other tokens. */
    public RateLimiter(Clock clock, boolean enabled, Predicate<String> isPersonalKey) {
        this.clock = clock;
        this.enabled = enabled;
        this.isPersonalKey = isPersonalKey;
        for (ThrottleScope scope : ThrottleScope.values()) {
            rates.put(scope, List.of(scope.defaultRate()));
        }
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Throttles the query API as PostHog does for teams on its legacy query limits ({@code
     * API_QUERIES_LEGACY_TEAM_LIST}): HogQL 120/h, other kinds and polls in the ClickHouse buckets.
     * Off by default (current teams: 240/min and 2400/h for every query action).
     */
    public void setLegacyQueryLimits(boolean legacy) {
        this.legacyQueryLimits = legacy;
    }

    /** Replaces a scope's rates (e.g. smaller ones, for a quick test); forgets the history. */
    public synchronized void setRates(ThrottleScope scope, ThrottleScope.Rate... newRates) {
        rates.put(scope, List.of(newRates));
        history.clear();
    }

    /** Puts every scope back to PostHog's rates and forgets the history. */
    public synchronized void restoreDefaultRates() {
        for (ThrottleScope scope : ThrottleScope.values()) {
            rates.put(scope, List.of(scope.defaultRate()));
        }
        history.clear();
    }

    /** Records a request; returns the seconds to wait when it is throttled, else empty. */
    public OptionalLong acquire(Request request) {
        if (!enabled) {
            return OptionalLong.empty();
        }
        String key = request.bearerToken();
        if (key == null) {
            key = request.queryParam("personal_api_key");
        }
        if (key == null || !isPersonalKey.test(key)) {
            return OptionalLong.empty();
        }
        ThrottleClass throttle =
                ThrottleClass.of(
                        request.method(),
                        request.path(),
                        legacyQueryLimits && startsHogQLQuery(request),
                        legacyQueryLimits);
        return throttle == null ? OptionalLong.empty() : acquire(throttle, key);
    }

    /** Records a request of this class made with {@code personalKey}. */
    public synchronized OptionalLong acquire(ThrottleClass throttle, String personalKey) {
        if (!enabled) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        long wait = 0;
        for (ThrottleScope scope : throttle.scopes()) {
            List<ThrottleScope.Rate> scopeRates = rates.get(scope);
            for (int i = 0; i < scopeRates.size(); i++) {
                ThrottleScope.Rate rate = scopeRates.get(i);
                ArrayDeque<Long> log =
                        history.computeIfAbsent(
                                scope.postHogName() + "/" + i + "/" + personalKey,
                                k -> new ArrayDeque<>());
                long period = rate.period().toMillis();
                while (!log.isEmpty() && log.peekFirst() <= now - period) {
                    log.pollFirst();
                }
                if (log.size() >= rate.requests()) {
                    wait = Math.max(wait, period - (now - log.peekFirst()));
                } else {
                    log.addLast(now); // DRF records in each throttle that lets it through
                }
            }
        }
        return wait > 0 ? OptionalLong.of(Math.max(1, (wait + 999) / 1000)) : OptionalLong.empty();
    }

    private static boolean startsHogQLQuery(Request request) {
        if (!"POST".equals(request.method()) || request.body().length == 0) {
            return false;
        }
        try {
            JsonNode body = Json.parse(request.body());
            return "HogQLQuery".equals(body.path("query").path("kind").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public synchronized void reset() {
        history.clear();
    }
}
