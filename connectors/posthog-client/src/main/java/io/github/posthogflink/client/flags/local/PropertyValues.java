package io.github.posthogflink.client.flags.local;

import java.util.Map;

/**
 * The properties one condition is matched against: the caller's map, plus one implied entry ({@code
 * distinct_id} for a person, {@code $group_key} for a group) that the map may override, as
 * posthog-python's client adds them. No copy is made.
 */
final class PropertyValues {
    static final PropertyValues EMPTY = new PropertyValues(Map.of(), null, null);

    private final Map<String, ?> values;
    private final String impliedKey;
    private final Object impliedValue;

    PropertyValues(Map<String, ?> values, String impliedKey, Object impliedValue) {
        this.values = values == null ? Map.of() : values;
        this.impliedKey = impliedKey;
        this.impliedValue = impliedValue;
    }

    boolean contains(String key) {
        if (key == null) {
            return false;
        }
        return values.containsKey(key) || key.equals(impliedKey);
    }

    Object get(String key) {
        if (key == null) {
            return null;
        }
        Object value = values.get(key);
        if (value != null || values.containsKey(key)) {
            return value;
        }
        return key.equals(impliedKey) ? impliedValue : null;
    }
}
