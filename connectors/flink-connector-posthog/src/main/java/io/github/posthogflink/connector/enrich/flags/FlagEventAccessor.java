package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the enrichers read and rebuild an event of any type: its distinct id, its groups, its
 * properties, and a copy with other properties. Build one from four small functions, or use {@link
 * #postHogEvents()}.
 *
 * <pre>{@code
 * FlagEventAccessor<MyEvent> accessor = FlagEventAccessor.of(
 *         MyEvent::userId, MyEvent::props, (e, props) -> e.toBuilder().props(props).build());
 * }</pre>
 */
@PublicEvolving
public final class FlagEventAccessor<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads the distinct id the flags are evaluated for. */
    @FunctionalInterface
    public interface DistinctIdGetter<T> extends Serializable {
        String distinctId(T event);
    }

    /** Reads the event's properties (never null; may be empty). */
    @FunctionalInterface
    public interface PropertiesGetter<T> extends Serializable {
        Map<String, Object> properties(T event);
    }

    /** Reads the event's groups: group type to group key. */
    @FunctionalInterface
    public interface GroupsGetter<T> extends Serializable {
        Map<String, String> groups(T event);
    }

    /** Returns a copy of the event whose properties are exactly {@code properties}. */
    @FunctionalInterface
    public interface PropertiesSetter<T> extends Serializable {
        T withProperties(T event, Map<String, Object> properties);
    }

    private final DistinctIdGetter<T> distinctId;
    private final PropertiesGetter<T> properties;
    private final GroupsGetter<T> groups;
    private final PropertiesSetter<T> setter;

    private FlagEventAccessor(
            DistinctIdGetter<T> distinctId,
            PropertiesGetter<T> properties,
            GroupsGetter<T> groups,
            PropertiesSetter<T> setter) {
        this.distinctId = Objects.requireNonNull(distinctId, "distinctId");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.groups = Objects.requireNonNull(groups, "groups");
        this.setter = Objects.requireNonNull(setter, "setter");
    }

    /** An accessor whose groups are read from the {@code $groups} property. */
    public static <T> FlagEventAccessor<T> of(
            DistinctIdGetter<T> distinctId,
            PropertiesGetter<T> properties,
            PropertiesSetter<T> setter) {
        return new FlagEventAccessor<>(
                distinctId, properties, e -> groupsProperty(properties.properties(e)), setter);
    }

    /** For {@link PostHogEvent}: distinct id, properties, and {@code $groups}. */
    public static FlagEventAccessor<PostHogEvent> postHogEvents() {
        return of(PostHogEvent::distinctId, PostHogEvent::properties, FlagEventAccessor::rebuild);
    }

    /** The same accessor with another way to find the event's groups. */
    public FlagEventAccessor<T> withGroups(GroupsGetter<T> groupsGetter) {
        return new FlagEventAccessor<>(distinctId, properties, groupsGetter, setter);
    }

    public String distinctId(T event) {
        return distinctId.distinctId(event);
    }

    public Map<String, Object> properties(T event) {
        Map<String, Object> props = properties.properties(event);
        return props == null ? Map.of() : props;
    }

    public Map<String, String> groups(T event) {
        Map<String, String> g = groups.groups(event);
        return g == null ? Map.of() : g;
    }

    public T withProperties(T event, Map<String, Object> newProperties) {
        return setter.withProperties(event, newProperties);
    }

    /**
     * The {@code $groups} property as group type to group key (non-string keys are stringified).
     */
    public static Map<String, String> groupsProperty(Map<String, Object> properties) {
        if (properties == null || !(properties.get("$groups") instanceof Map<?, ?> raw)) {
            return Map.of();
        }
        Map<String, String> groups = new LinkedHashMap<>();
        raw.forEach(
                (type, key) -> {
                    if (type != null && key != null) {
                        groups.put(type.toString(), key.toString());
                    }
                });
        return groups;
    }

    private static PostHogEvent rebuild(PostHogEvent event, Map<String, Object> properties) {
        return new PostHogEvent(
                event.event(), event.distinctId(), properties, event.timestamp(), event.uuid());
    }
}
