package io.github.posthogflink.client.flags.local;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One feature flag of the local-evaluation payload, compiled for fast repeated evaluation. */
public final class FlagDefinition {
    /** A multivariate variant with its precomputed hash range {@code [min, max)}. */
    record Variant(String key, double min, double max) {}

    /**
     * One condition group: properties ANDed, an optional rollout (null = 100%), an optional variant
     * override and an optional own aggregation.
     */
    record Condition(
            List<FilterNode> properties,
            @Nullable Double rolloutPercentage,
            @Nullable String variantOverride,
            @Nullable Integer aggregationGroupTypeIndex) {}

    private final String key;
    private final byte[] hashPrefix;
    @Nullable private final Long id;
    @Nullable private final Integer version;
    private final boolean active;
    private final boolean ensureExperienceContinuity;
    @Nullable private final Integer aggregationGroupTypeIndex;
    private final boolean deviceIdBucketing;
    private final boolean earlyExit;
    private final List<Condition> conditions;
    private final List<Variant> variants;
    private final Map<String, String> payloads;

    FlagDefinition(
            String key,
            @Nullable Long id,
            @Nullable Integer version,
            boolean active,
            boolean ensureExperienceContinuity,
            @Nullable Integer aggregationGroupTypeIndex,
            boolean deviceIdBucketing,
            boolean earlyExit,
            List<Condition> conditions,
            List<Variant> variants,
            Map<String, String> payloads) {
        this.key = key;
        this.hashPrefix = (key + ".").getBytes(StandardCharsets.UTF_8);
        this.id = id;
        this.version = version;
        this.active = active;
        this.ensureExperienceContinuity = ensureExperienceContinuity;
        this.aggregationGroupTypeIndex = aggregationGroupTypeIndex;
        this.deviceIdBucketing = deviceIdBucketing;
        this.earlyExit = earlyExit;
        this.conditions = List.copyOf(conditions);
        this.variants = List.copyOf(variants);
        this.payloads = Map.copyOf(payloads);
    }

    public String key() {
        return key;
    }

    @Nullable
    public Long id() {
        return id;
    }

    @Nullable
    public Integer version() {
        return version;
    }

    /** False for inactive or deleted flags, which evaluate to disabled. */
    public boolean active() {
        return active;
    }

    /** Such flags need PostHog's stored hash-key overrides: never decided locally. */
    public boolean ensureExperienceContinuity() {
        return ensureExperienceContinuity;
    }

    /** The group type index a group flag aggregates by, or null for a person flag. */
    @Nullable
    public Integer aggregationGroupTypeIndex() {
        return aggregationGroupTypeIndex;
    }

    /** The JSON-encoded payload for a variant key or {@code "true"}, or null. */
    @Nullable
    public String payload(String valueKey) {
        return payloads.get(valueKey);
    }

    byte[] hashPrefix() {
        return hashPrefix;
    }

    boolean deviceIdBucketing() {
        return deviceIdBucketing;
    }

    boolean earlyExit() {
        return earlyExit;
    }

    List<Condition> conditions() {
        return conditions;
    }

    List<Variant> variants() {
        return variants;
    }

    boolean hasVariant(String variantKey) {
        for (Variant variant : variants) {
            if (variant.key().equals(variantKey)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FlagDefinition{key=" + key + ", id=" + id + ", active=" + active + "}";
    }
}
