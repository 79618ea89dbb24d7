package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A captured event as PostHog's ingestion writes it to ClickHouse, which is what HogQL reads
 * ({@code plugin-server} {@code createEvent}, {@code addGroupProperties}):
 *
 * <ul>
 *   <li>each {@code $groups} entry becomes the property {@code $group_<index>} through the group
 *       type mapping (a new type gets the next free index, up to five);
 *   <li>an event with {@code $process_person_profile: false} gets no group properties, and any
 *       {@code $group_<n>} it sent is removed;
 *   <li>{@code $elements_chain} (or the legacy {@code $elements} array, converted) becomes the
 *       {@code elements_chain} column and leaves the properties;
 *   <li>{@code created_at} is the time the server received it.
 * </ul>
 */
final class IngestedEvents {
    private static final int MAX_GROUP_TYPES = 5;

    private IngestedEvents() {}

    /**
     * The event's row. {@code groupIndex} maps a group type to its index, assigning new ones when
     * its second argument is true.
     */
    static EventRow row(
            CapturedEvent event, BiFunction<String, Boolean, Optional<Integer>> groupIndex) {
        ObjectNode properties = event.propertiesCopy();
        String elementsChain = elementsChain(properties);
        if (personless(properties)) {
            for (int i = 0; i < MAX_GROUP_TYPES; i++) {
                properties.remove("$group_" + i);
            }
        } else {
            JsonNode groups = properties.get("$groups");
            if (groups != null && groups.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> entries = groups.fields();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    groupIndex
                            .apply(entry.getKey(), true)
                            .ifPresent(i -> properties.set("$group_" + i, entry.getValue()));
                }
            }
        }
        return new EventRow(
                event.uuid(),
                event.event(),
                event.distinctId(),
                Json.text(properties),
                event.timestamp(),
                event.receivedAt(),
                elementsChain);
    }

    /**
     * Assigns the indexes of the event's new group types, as ingestion does on arrival; an event
     * without {@code $groups} is not parsed.
     */
    static void assignGroupTypes(
            CapturedEvent event, BiFunction<String, Boolean, Optional<Integer>> groupIndex) {
        if (!event.hasProperty("$groups")) {
            return;
        }
        ObjectNode properties = event.propertiesCopy();
        JsonNode groups = properties.get("$groups");
        if (groups != null && groups.isObject() && !personless(properties)) {
            groups.fieldNames().forEachRemaining(type -> groupIndex.apply(type, true));
        }
    }

    private static boolean personless(JsonNode properties) {
        JsonNode flag = properties.get("$process_person_profile");
        return flag != null && flag.isBoolean() && !flag.asBoolean();
    }

    private static String elementsChain(ObjectNode properties) {
        JsonNode chain = properties.remove("$elements_chain");
        JsonNode elements = properties.remove("$elements");
        if (chain != null && chain.isTextual() && !chain.asText().isEmpty()) {
            return chain.asText();
        }
        return ElementsChain.fromElements(elements);
    }
}
