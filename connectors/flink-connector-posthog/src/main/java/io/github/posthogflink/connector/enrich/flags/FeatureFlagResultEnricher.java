package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.annotation.PublicEvolving;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Emits each event, unchanged, with the full outcome of each flag (enabled, variant, payload,
 * reason, local or remote) as a {@link FlagEnrichedEvent}. Same options and behaviour as {@link
 * FeatureFlagEnricher}.
 */
@PublicEvolving
public class FeatureFlagResultEnricher<T>
        extends AbstractFlagEnrichmentFunction<T, FlagEnrichedEvent<T>> {
    private static final long serialVersionUID = 1L;

    private FeatureFlagResultEnricher(
            FlagEnrichmentOptions options, FlagEventAccessor<T> accessor) {
        super(options, accessor);
    }

    public static FeatureFlagResultEnricher<PostHogEvent> forPostHogEvents(
            FlagEnrichmentOptions options) {
        return new FeatureFlagResultEnricher<>(options, FlagEventAccessor.postHogEvents());
    }

    public static <T> FeatureFlagResultEnricher<T> create(
            FlagEnrichmentOptions options, FlagEventAccessor<T> accessor) {
        return new FeatureFlagResultEnricher<>(options, accessor);
    }

    @Override
    protected FlagEnrichedEvent<T> toOutput(
            T event, Map<String, FlagEvaluationResult> flags, boolean complete) {
        return new FlagEnrichedEvent<>(event, new LinkedHashMap<>(flags), complete);
    }
}
