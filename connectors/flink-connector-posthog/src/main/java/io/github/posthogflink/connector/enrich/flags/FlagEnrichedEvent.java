package io.github.posthogflink.connector.enrich.flags;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.Map;

/**
 * An event with the full outcome of each evaluated flag, as emitted by {@link
 * FeatureFlagResultEnricher}.
 *
 * @param event the input event, unchanged
 * @param flags outcomes by flag key, in key order; flags that could not be evaluated are absent
 * @param complete false when some flags could not be evaluated (remote failure, timeout)
 */
@PublicEvolving
public record FlagEnrichedEvent<T>(
        T event, Map<String, FlagEvaluationResult> flags, boolean complete)
        implements Serializable {}
