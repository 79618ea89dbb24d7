package io.github.posthogflink.client.flags.local;

import java.io.Serializable;
import java.util.Map;

/**
 * Who a flag is evaluated for: the distinct id, the groups ({@code group type -> group key}) and
 * the known person and group properties.
 */
public record EvaluationContext(
        String distinctId,
        Map<String, String> groups,
        Map<String, Object> personProperties,
        Map<String, Map<String, Object>> groupProperties)
        implements Serializable {

    public static EvaluationContext of(String distinctId) {
        return new EvaluationContext(distinctId, Map.of(), Map.of(), Map.of());
    }
}
