package io.github.posthogflink.client.flags.local;

import java.util.HashMap;
import java.util.Map;

/** The property operators PostHog's local evaluation supports ({@code PROPERTY_OPERATORS}). */
enum PropertyOperator {
    EXACT("exact"),
    IS_NOT("is_not"),
    IS_SET("is_set"),
    IS_NOT_SET("is_not_set"),
    ICONTAINS("icontains"),
    NOT_ICONTAINS("not_icontains"),
    REGEX("regex"),
    NOT_REGEX("not_regex"),
    STARTS_WITH("starts_with"),
    NOT_STARTS_WITH("not_starts_with"),
    ENDS_WITH("ends_with"),
    NOT_ENDS_WITH("not_ends_with"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    IS_DATE_BEFORE("is_date_before"),
    IS_DATE_AFTER("is_date_after"),
    SEMVER_EQ("semver_eq"),
    SEMVER_NEQ("semver_neq"),
    SEMVER_GT("semver_gt"),
    SEMVER_GTE("semver_gte"),
    SEMVER_LT("semver_lt"),
    SEMVER_LTE("semver_lte"),
    SEMVER_TILDE("semver_tilde"),
    SEMVER_CARET("semver_caret"),
    SEMVER_WILDCARD("semver_wildcard"),
    /** Any operator local evaluation does not know: always inconclusive. */
    UNKNOWN("unknown");

    private static final Map<String, PropertyOperator> BY_NAME = new HashMap<>();

    static {
        for (PropertyOperator op : values()) {
            if (op != UNKNOWN) {
                BY_NAME.put(op.wireName, op);
            }
        }
    }

    private final String wireName;

    PropertyOperator(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The operator for a definition's {@code operator} field; null or empty means exact. */
    static PropertyOperator fromWire(String name) {
        if (name == null || name.isEmpty()) {
            return EXACT;
        }
        return BY_NAME.getOrDefault(name, UNKNOWN);
    }

    boolean isSemverComparison() {
        return this == SEMVER_EQ
                || this == SEMVER_NEQ
                || this == SEMVER_GT
                || this == SEMVER_GTE
                || this == SEMVER_LT
                || this == SEMVER_LTE;
    }

    boolean isSemver() {
        return isSemverComparison()
                || this == SEMVER_TILDE
                || this == SEMVER_CARET
                || this == SEMVER_WILDCARD;
    }
}
