package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.flags.FlagResult;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * One flag's full outcome for one event.
 *
 * @param key the flag key
 * @param enabled whether the flag is on
 * @param variant the multivariate variant, or null
 * @param payload the payload of the matched variant (or of {@code true}) as a JSON string, or null
 * @param reason the v2 reason code, e.g. {@code condition_match}, or null
 * @param source who decided the flag
 */
@PublicEvolving
public record FlagEvaluationResult(
        String key,
        boolean enabled,
        @Nullable String variant,
        @Nullable String payload,
        @Nullable String reason,
        FlagEvaluationSource source)
        implements Serializable {

    /** The value PostHog puts in {@code $feature/<key>}: the variant, else the boolean. */
    public Object value() {
        return variant != null ? variant : enabled;
    }

    static FlagEvaluationResult of(FlagResult result, FlagEvaluationSource source) {
        return new FlagEvaluationResult(
                result.key(),
                result.enabled(),
                result.variant(),
                result.payload(),
                result.reason() == null ? null : result.reason().code(),
                source);
    }
}
