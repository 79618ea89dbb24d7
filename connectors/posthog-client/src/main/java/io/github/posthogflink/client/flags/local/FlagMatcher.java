package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.local.FilterNode.CohortCheck;
import io.github.posthogflink.client.flags.local.FilterNode.FlagDependencyCheck;
import io.github.posthogflink.client.flags.local.FilterNode.Group;
import io.github.posthogflink.client.flags.local.FilterNode.Malformed;
import io.github.posthogflink.client.flags.local.FilterNode.PropertyCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One flag evaluation (posthog-python's {@code match_feature_flag_properties} and helpers). Holds
 * the per-evaluation flag-dependency cache, so it is created per call and never shared.
 */
final class FlagMatcher {
    private static final Logger LOG = LoggerFactory.getLogger(FlagMatcher.class);
    private static final Object INCONCLUSIVE = new Object();
    private static final Set<String> WARNED_MALFORMED_DEPENDENCIES = ConcurrentHashMap.newKeySet();

    /** A flag's value ({@link Boolean#FALSE}, {@link Boolean#TRUE} or a variant) and why. */
    record Outcome(Object value, MatchReason reason, Integer conditionIndex) {}

    private enum ConditionMatch {
        MATCH,
        NO_MATCH,
        OUT_OF_ROLLOUT_BOUND
    }

    private final FlagDefinitions definitions;
    private final Clock clock;
    private Map<String, Object> dependencyCache;

    FlagMatcher(FlagDefinitions definitions, Clock clock) {
        this.definitions = definitions;
        this.clock = clock;
    }

    /** posthog-python's {@code Client._compute_flag_locally}. */
    Outcome evaluate(FlagDefinition flag, EvaluationContext context)
            throws InconclusiveMatchException {
        if (flag.ensureExperienceContinuity()) {
            throw Inconclusive.of("Flag has experience continuity enabled");
        }
        if (!flag.active()) {
            return new Outcome(Boolean.FALSE, MatchReason.FLAG_DISABLED, null);
        }
        Map<String, String> groups = orEmpty(context.groups());
        Map<String, Map<String, Object>> groupProperties = orEmpty(context.groupProperties());
        Map<String, String> mapping = definitions.groupTypeMapping();
        Integer aggregation = flag.aggregationGroupTypeIndex();
        if (aggregation != null) {
            String groupName = mapping.get(String.valueOf(aggregation));
            if (groupName == null || groupName.isEmpty()) {
                throw Inconclusive.of("Flag has unknown group type index");
            }
            if (!groups.containsKey(groupName)) {
                return new Outcome(Boolean.FALSE, MatchReason.NO_GROUP_TYPE, null);
            }
            String groupKey = groups.get(groupName);
            PropertyValues properties = groupValues(groupProperties, groups, groupName);
            return matchFlag(
                    flag, groupKey, properties, groupKey, mapping, groups, groupProperties);
        }
        String distinctId = context.distinctId();
        PropertyValues properties =
                new PropertyValues(context.personProperties(), "distinct_id", distinctId);
        return matchFlag(
                flag,
                distinctId,
                properties,
                bucketingValue(flag, distinctId),
                mapping,
                groups,
                groupProperties);
    }

    private Outcome matchFlag(
            FlagDefinition flag,
            String distinctId,
            PropertyValues properties,
            String bucketingValue,
            Map<String, String> mapping,
            Map<String, String> groups,
            Map<String, Map<String, Object>> groupProperties)
            throws InconclusiveMatchException {
        MatchReason best = MatchReason.NO_CONDITION_MATCH;
        Integer bestIndex = null;
        boolean inconclusive = false;
        int index = -1;
        for (FlagDefinition.Condition condition : flag.conditions()) {
            index++;
            try {
                PropertyValues effectiveProperties = properties;
                String effectiveBucketing = bucketingValue;
                Integer conditionAggregation = condition.aggregationGroupTypeIndex();
                if (!Objects.equals(conditionAggregation, flag.aggregationGroupTypeIndex())
                        && conditionAggregation != null) {
                    String groupName = mapping.get(String.valueOf(conditionAggregation));
                    if (groupName == null
                            || groupName.isEmpty()
                            || !groups.containsKey(groupName)) {
                        continue;
                    }
                    effectiveProperties = groupValues(groupProperties, groups, groupName);
                    effectiveBucketing = groups.get(groupName);
                }
                ConditionMatch match =
                        matchCondition(
                                flag,
                                distinctId,
                                condition,
                                effectiveProperties,
                                effectiveBucketing);
                if (match == ConditionMatch.MATCH) {
                    String override = condition.variantOverride();
                    String variant =
                            override != null && flag.hasVariant(override)
                                    ? override
                                    : matchingVariant(flag, effectiveBucketing);
                    return new Outcome(
                            variant != null ? variant : Boolean.TRUE,
                            MatchReason.CONDITION_MATCH,
                            index);
                }
                MatchReason reason =
                        match == ConditionMatch.OUT_OF_ROLLOUT_BOUND
                                ? MatchReason.OUT_OF_ROLLOUT_BOUND
                                : MatchReason.NO_CONDITION_MATCH;
                if (reason.score() >= best.score()) {
                    best = reason;
                    bestIndex = index;
                }
                if (flag.earlyExit() && match == ConditionMatch.OUT_OF_ROLLOUT_BOUND) {
                    return new Outcome(Boolean.FALSE, MatchReason.OUT_OF_ROLLOUT_BOUND, index);
                }
            } catch (RequiresServerEvaluationException e) {
                throw e;
            } catch (InconclusiveMatchException e) {
                inconclusive = true;
            }
        }
        if (inconclusive) {
            throw Inconclusive.of(
                    "Can't determine if feature flag is enabled or not with given properties");
        }
        return new Outcome(Boolean.FALSE, best, bestIndex);
    }

    private ConditionMatch matchCondition(
            FlagDefinition flag,
            String distinctId,
            FlagDefinition.Condition condition,
            PropertyValues properties,
            String bucketingValue)
            throws InconclusiveMatchException {
        Double rollout = condition.rolloutPercentage();
        if (!condition.properties().isEmpty()) {
            for (FilterNode property : condition.properties()) {
                boolean matches;
                if (property instanceof CohortCheck cohort) {
                    matches = matchCohort(cohort, properties, distinctId);
                } else if (property instanceof FlagDependencyCheck dependency) {
                    matches = matchDependency(dependency, properties, distinctId);
                } else {
                    matches = PropertyMatcher.matches((PropertyCheck) property, properties, clock);
                }
                if (!matches) {
                    return ConditionMatch.NO_MATCH;
                }
            }
            if (rollout == null) {
                return ConditionMatch.MATCH;
            }
        }
        if (rollout != null
                && FlagHash.hash(flag.hashPrefix(), bucketingValue, FlagHash.NO_SALT)
                        > rollout / 100) {
            return ConditionMatch.OUT_OF_ROLLOUT_BOUND;
        }
        return ConditionMatch.MATCH;
    }

    private static String matchingVariant(FlagDefinition flag, String bucketingValue) {
        if (flag.variants().isEmpty()) {
            return null;
        }
        double hash = FlagHash.hash(flag.hashPrefix(), bucketingValue, FlagHash.VARIANT_SALT);
        for (FlagDefinition.Variant variant : flag.variants()) {
            if (hash >= variant.min() && hash < variant.max()) {
                return variant.key();
            }
        }
        return null;
    }

    private boolean matchCohort(CohortCheck check, PropertyValues properties, String distinctId)
            throws InconclusiveMatchException {
        FilterNode cohort = definitions.cohort(check.cohortId());
        if (cohort == null) {
            throw Inconclusive.requiresServer(
                    "cohort "
                            + check.cohortId()
                            + " not found in local cohorts - likely a static cohort");
        }
        boolean matches = matchGroup(cohort, properties, distinctId);
        return switch (check.operator()) {
            case "exact", "in" -> matches;
            case "not_in" -> !matches;
            default -> throw Inconclusive.of("Unsupported cohort operator: " + check.operator());
        };
    }

    /** posthog-python's {@code match_property_group}: every entry is evaluated, no short-cut. */
    private boolean matchGroup(FilterNode node, PropertyValues properties, String distinctId)
            throws InconclusiveMatchException {
        if (node instanceof Malformed malformed) {
            throw Inconclusive.requiresServer(malformed.problem());
        }
        Group group = (Group) node;
        if (group.entries().isEmpty()) {
            return true;
        }
        Boolean decisive = null;
        boolean inconclusive = false;
        for (FilterNode entry : group.entries()) {
            try {
                boolean matches;
                if (entry instanceof Group || entry instanceof Malformed) {
                    matches = matchGroup(entry, properties, distinctId);
                } else if (entry instanceof CohortCheck cohort) {
                    matches = matchCohort(cohort, properties, distinctId);
                } else if (entry instanceof FlagDependencyCheck dependency) {
                    matches = matchDependency(dependency, properties, distinctId);
                } else {
                    matches = PropertyMatcher.matches((PropertyCheck) entry, properties, clock);
                }
                boolean effective = matches != entry.negation();
                if (group.and() && !effective) {
                    decisive = Boolean.FALSE;
                } else if (!group.and() && effective) {
                    decisive = Boolean.TRUE;
                }
            } catch (RequiresServerEvaluationException e) {
                throw e;
            } catch (InconclusiveMatchException e) {
                inconclusive = true;
            }
        }
        if (decisive != null) {
            return decisive;
        }
        if (inconclusive) {
            throw Inconclusive.of("Can't match cohort without a given cohort property value");
        }
        return group.and();
    }

    /** posthog-python's {@code evaluate_flag_dependency}. */
    private boolean matchDependency(
            FlagDependencyCheck check, PropertyValues properties, String distinctId)
            throws InconclusiveMatchException {
        if (!"flag_evaluates_to".equals(check.operator())) {
            warnMalformedOnce(check.flagKey(), "invalid operator '" + check.operator() + "'");
            return false;
        }
        if (check.flagKey() == null || check.flagKey().isEmpty() || check.expectedValue() == null) {
            warnMalformedOnce(check.flagKey(), "missing key or value");
            return false;
        }
        if (check.dependencyChain() == null) {
            throw Inconclusive.of(
                    "Flag dependency on '" + check.flagKey() + "' has no dependency_chain");
        }
        if (check.dependencyChain().isEmpty()) {
            throw Inconclusive.of(
                    "Circular dependency detected for flag '" + check.flagKey() + "'");
        }
        if (dependencyCache == null) {
            dependencyCache = new HashMap<>();
        }
        for (String dependencyKey : check.dependencyChain()) {
            if (dependencyCache.containsKey(dependencyKey)) {
                continue;
            }
            FlagDefinition dependency = definitions.flag(dependencyKey);
            if (dependency == null) {
                dependencyCache.put(dependencyKey, INCONCLUSIVE);
                throw Inconclusive.of(
                        "Cannot evaluate flag dependency '" + dependencyKey + "': not found");
            }
            if (!dependency.active()) {
                dependencyCache.put(dependencyKey, Boolean.FALSE);
                continue;
            }
            try {
                String bucketing =
                        dependency.aggregationGroupTypeIndex() != null
                                ? distinctId
                                : bucketingValue(dependency, distinctId);
                Outcome outcome =
                        matchFlag(
                                dependency,
                                distinctId,
                                properties,
                                bucketing,
                                Map.of(),
                                Map.of(),
                                Map.of());
                dependencyCache.put(dependencyKey, outcome.value());
            } catch (RequiresServerEvaluationException e) {
                throw e;
            } catch (InconclusiveMatchException e) {
                dependencyCache.put(dependencyKey, INCONCLUSIVE);
                throw Inconclusive.of(
                        "Cannot evaluate flag dependency '"
                                + dependencyKey
                                + "': "
                                + e.getMessage());
            }
        }
        Object actual = dependencyCache.get(check.flagKey());
        if (actual == null || actual == INCONCLUSIVE) {
            throw Inconclusive.of(
                    "Flag dependency '" + check.flagKey() + "' was inconclusive or not evaluated");
        }
        return matchesDependencyValue(check.expectedValue(), actual);
    }

    /** posthog-python's {@code matches_dependency_value}. */
    static boolean matchesDependencyValue(Object expected, Object actual) {
        if (actual instanceof String variant && !variant.isEmpty()) {
            if (expected instanceof Boolean b) {
                return b;
            }
            return expected instanceof String s && s.equals(variant);
        }
        if (actual instanceof Boolean a && expected instanceof Boolean b) {
            return a.equals(b);
        }
        return false;
    }

    private static String bucketingValue(FlagDefinition flag, String distinctId)
            throws InconclusiveMatchException {
        if (flag.deviceIdBucketing()) {
            throw Inconclusive.of("Flag requires device_id for bucketing but none was provided");
        }
        return distinctId;
    }

    private static PropertyValues groupValues(
            Map<String, Map<String, Object>> groupProperties,
            Map<String, String> groups,
            String groupName) {
        return new PropertyValues(
                groupProperties.get(groupName), "$group_key", groups.get(groupName));
    }

    private static void warnMalformedOnce(String flagKey, String problem) {
        if (WARNED_MALFORMED_DEPENDENCIES.size() < 10_000
                && WARNED_MALFORMED_DEPENDENCIES.add(flagKey + "\u0000" + problem)) {
            LOG.warn(
                    "Flag dependency condition on '{}' is malformed ({}); treating as not matching"
                            + " during local evaluation.",
                    flagKey == null ? "unknown" : flagKey,
                    problem);
        }
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
