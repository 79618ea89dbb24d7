package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds {@code $feature/<key>} (the variant, else the boolean) and {@code $active_feature_flags}
 * (the sorted enabled keys, only when there are some) to each event's properties. Use it with
 * {@code AsyncDataStream.unorderedWait}, {@code orderedWait} or their {@code WithRetry} forms:
 *
 * <pre>{@code
 * DataStream<PostHogEvent> enriched = AsyncDataStream.unorderedWait(
 *         events,
 *         FeatureFlagEnricher.forPostHogEvents(FlagEnrichmentOptions.builder(config).build()),
 *         30, TimeUnit.SECONDS, 100);
 * }</pre>
 *
 * <p>As PostHog's SDKs do, properties already on the event win unless {@link
 * FlagEnrichmentOptions.Builder#overwriteExistingProperties} is set.
 */
@PublicEvolving
public class FeatureFlagEnricher<T> extends AbstractFlagEnrichmentFunction<T, T> {
    private static final long serialVersionUID = 1L;

    /** The prefix of the per-flag properties. */
    public static final String FEATURE_PREFIX = "$feature/";

    /** The property listing the enabled flags. */
    public static final String ACTIVE_FEATURE_FLAGS = "$active_feature_flags";

    private FeatureFlagEnricher(FlagEnrichmentOptions options, FlagEventAccessor<T> accessor) {
        super(options, accessor);
    }

    /** An enricher for {@link PostHogEvent}s (groups from {@code $groups}). */
    public static FeatureFlagEnricher<PostHogEvent> forPostHogEvents(
            FlagEnrichmentOptions options) {
        return new FeatureFlagEnricher<>(options, FlagEventAccessor.postHogEvents());
    }

    /** An enricher for any event type, read and rebuilt through {@code accessor}. */
    public static <T> FeatureFlagEnricher<T> create(
            FlagEnrichmentOptions options, FlagEventAccessor<T> accessor) {
        return new FeatureFlagEnricher<>(options, accessor);
    }

    @Override
    protected T toOutput(T event, Map<String, FlagEvaluationResult> flags, boolean complete) {
        if (flags.isEmpty()) {
            return event;
        }
        Map<String, Object> added = flagProperties(flags);
        Map<String, Object> merged = new LinkedHashMap<>(accessor().properties(event));
        if (options().overwriteExistingProperties()) {
            merged.putAll(added);
        } else {
            added.forEach(merged::putIfAbsent);
        }
        return accessor().withProperties(event, merged);
    }

    /** The properties PostHog's SDKs add for these flags. */
    public static Map<String, Object> flagProperties(Map<String, FlagEvaluationResult> flags) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> active = new ArrayList<>();
        flags.forEach(
                (key, result) -> {
                    properties.put(FEATURE_PREFIX + key, result.value());
                    if (result.enabled()) {
                        active.add(key);
                    }
                });
        if (!active.isEmpty()) {
            active.sort(null);
            properties.put(ACTIVE_FEATURE_FLAGS, active);
        }
        return properties;
    }
}
