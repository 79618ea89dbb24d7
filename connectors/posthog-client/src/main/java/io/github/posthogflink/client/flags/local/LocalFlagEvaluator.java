package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;
import io.github.posthogflink.client.flags.FlagResult.FlagMetadata;
import io.github.posthogflink.client.flags.FlagResult.FlagReason;

import javax.annotation.Nullable;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates feature flags in-process, exactly as PostHog does (posthog-python's local evaluation,
 * with {@code /flags?v=2} reason codes). Immutable and thread-safe: share one per definitions
 * snapshot.
 */
public final class LocalFlagEvaluator {
    private final FlagDefinitions definitions;
    private final Clock clock;

    public LocalFlagEvaluator(FlagDefinitions definitions) {
        this(definitions, Clock.systemUTC());
    }

    /** With the clock that relative date filters ({@code -7d}) are resolved against. */
    public LocalFlagEvaluator(FlagDefinitions definitions, Clock clock) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public FlagDefinitions definitions() {
        return definitions;
    }

    /**
     * Evaluates one flag.
     *
     * @throws InconclusiveMatchException when only PostHog's {@code /flags} can decide (this
     *     includes a flag key absent from the definitions)
     */
    public FlagResult evaluate(String flagKey, EvaluationContext context)
            throws InconclusiveMatchException {
        Objects.requireNonNull(context.distinctId(), "context.distinctId");
        FlagDefinition flag = definitions.flag(flagKey);
        if (flag == null) {
            throw Inconclusive.of("Unknown flag: " + flagKey);
        }
        FlagMatcher.Outcome outcome = new FlagMatcher(definitions, clock).evaluate(flag, context);
        return toResult(flag, outcome);
    }

    /**
     * Evaluates the given flags (all flags when {@code flagKeys} is null), separating those decided
     * locally from those PostHog's {@code /flags} must decide.
     */
    public LocalEvaluation evaluateAll(
            EvaluationContext context, @Nullable Collection<String> flagKeys) {
        Objects.requireNonNull(context.distinctId(), "context.distinctId");
        Collection<String> keys = flagKeys == null ? definitions.flagKeys() : flagKeys;
        Map<String, FlagResult> decided = new LinkedHashMap<>();
        Set<String> undecided = new LinkedHashSet<>();
        for (String key : keys) {
            if (decided.containsKey(key) || undecided.contains(key)) {
                continue;
            }
            FlagDefinition flag = definitions.flag(key);
            if (flag == null) {
                undecided.add(key);
                continue;
            }
            try {
                FlagMatcher.Outcome outcome =
                        new FlagMatcher(definitions, clock).evaluate(flag, context);
                decided.put(key, toResult(flag, outcome));
            } catch (InconclusiveMatchException e) {
                undecided.add(key);
            }
        }
        return new LocalEvaluation(decided, undecided);
    }

    private static FlagResult toResult(FlagDefinition flag, FlagMatcher.Outcome outcome) {
        Object value = outcome.value();
        boolean enabled = !Boolean.FALSE.equals(value);
        String variant = value instanceof String s ? s : null;
        String payload = enabled ? flag.payload(variant != null ? variant : "true") : null;
        MatchReason reason = outcome.reason();
        Integer index = outcome.conditionIndex();
        return new FlagResult(
                flag.key(),
                enabled,
                variant,
                new FlagReason(reason.code(), index, reason.description(index)),
                new FlagMetadata(
                        flag.id(), flag.version() == null ? 0 : flag.version(), null, payload),
                Boolean.FALSE);
    }
}
