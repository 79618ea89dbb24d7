package io.github.posthogflink.client.flags.local;

/**
 * The v2 reason codes PostHog's {@code rust/feature-flags} reports, ranked as it ranks them when
 * several conditions fail for different reasons.
 */
enum MatchReason {
    CONDITION_MATCH("condition_match", 4),
    OUT_OF_ROLLOUT_BOUND("out_of_rollout_bound", 3),
    NO_CONDITION_MATCH("no_condition_match", 2),
    NO_GROUP_TYPE("no_group_type", 1),
    FLAG_DISABLED("flag_disabled", 0);

    private final String code;
    private final int score;

    MatchReason(String code, int score) {
        this.code = code;
        this.score = score;
    }

    String code() {
        return code;
    }

    int score() {
        return score;
    }

    /** The description PostHog's server sends with this code. */
    String description(Integer conditionIndex) {
        return switch (this) {
            case CONDITION_MATCH ->
                    "Matched condition set " + ((conditionIndex == null ? 0 : conditionIndex) + 1);
            case OUT_OF_ROLLOUT_BOUND -> "Out of rollout bound";
            case NO_CONDITION_MATCH -> "No matching condition set";
            case NO_GROUP_TYPE -> "No group type";
            case FLAG_DISABLED -> "Feature flag is disabled";
        };
    }
}
