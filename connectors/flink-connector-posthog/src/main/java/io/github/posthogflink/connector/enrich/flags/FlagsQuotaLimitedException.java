package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

/**
 * PostHog answered {@code /flags} with {@code "quotaLimited": ["feature_flags"]}: the project's
 * feature-flag quota is spent and no flag was evaluated ({@code rust/feature-flags} {@code
 * check_limits}). Such an answer is a failure under the failure policy, never "no flags", and is
 * never cached.
 */
@PublicEvolving
public class FlagsQuotaLimitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlagsQuotaLimitedException() {
        super(
                "PostHog answered /flags with quotaLimited [feature_flags]: the project's feature"
                        + " flags quota is spent, no flag was evaluated");
    }
}
