package io.github.posthogflink.client.flags.local;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** One entry of a condition or of a cohort's property group, compiled once at parse time. */
sealed interface FilterNode
        permits FilterNode.PropertyCheck,
                FilterNode.CohortCheck,
                FilterNode.FlagDependencyCheck,
                FilterNode.Group,
                FilterNode.Malformed {

    /** Whether a match is inverted when this entry sits in a cohort's property group. */
    boolean negation();

    /**
     * A person or group property compared with an operator. The flag's value is pre-digested for
     * each operator family: folded strings, a compiled regex, a number, a date, a version.
     */
    record PropertyCheck(
            String key,
            String operatorName,
            PropertyOperator operator,
            Object value,
            boolean negation,
            String valueString,
            String foldedValue,
            Set<String> foldedChoices,
            Pattern regex,
            Double number,
            FlagDates.FlagDate date,
            Semver semver,
            Semver.Range semverRange)
            implements FilterNode {}

    /**
     * Membership in a cohort ({@code type: cohort}); operator {@code in}/{@code exact} or {@code
     * not_in}.
     */
    record CohortCheck(String cohortId, String operator, boolean negation) implements FilterNode {}

    /**
     * Another flag's value ({@code type: flag}). {@code dependencyChain} is null when absent from
     * the definition (malformed data: inconclusive).
     */
    record FlagDependencyCheck(
            String flagKey,
            String operator,
            Object expectedValue,
            List<String> dependencyChain,
            boolean negation)
            implements FilterNode {}

    /** A nested AND/OR group of a cohort; an empty group matches. */
    record Group(boolean and, List<FilterNode> entries) implements FilterNode {
        @Override
        public boolean negation() {
            return false;
        }
    }

    /** A cohort entry local evaluation cannot read: PostHog's server must decide. */
    record Malformed(String problem) implements FilterNode {
        @Override
        public boolean negation() {
            return false;
        }
    }
}
