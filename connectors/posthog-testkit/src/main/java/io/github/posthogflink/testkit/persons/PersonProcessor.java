package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies captured events to persons and groups as PostHog's ingestion does: {@code $set}, {@code
 * $set_once}, {@code $unset}, {@code $identify}, {@code $create_alias}, {@code $merge_dangerously}
 * and {@code $groupidentify}; nothing when {@code $process_person_profile} is false. An event that
 * changes no person only creates its person when new and moves its last-seen time, without parsing
 * the event; runs of such events take the store's lock once.
 */
public final class PersonProcessor {
    private final PersonStore persons;
    private final GroupStore groups;

    public PersonProcessor(PersonStore persons, GroupStore groups) {
        this.persons = persons;
        this.groups = groups;
    }

    /** Applies the events in order. */
    public void process(List<CapturedEvent> events) {
        List<CapturedEvent> seen = new ArrayList<>(events.size());
        for (CapturedEvent event : events) {
            ObjectNode properties = null;
            if (event.hasProperty("$process_person_profile")) {
                properties = event.propertiesCopy();
                JsonNode flag = properties.get("$process_person_profile");
                if (!flag.asBoolean(true)) {
                    continue;
                }
            }
            if (!changesPersons(event)) {
                seen.add(event);
                continue;
            }
            persons.seen(seen);
            seen.clear();
            apply(event, properties == null ? event.propertiesCopy() : properties);
        }
        persons.seen(seen);
    }

    /** Whether the event does more than mark its person as seen. */
    private static boolean changesPersons(CapturedEvent event) {
        return switch (event.event()) {
            case "$groupidentify", "$identify", "$create_alias", "$merge_dangerously" -> true;
            default ->
                    event.hasProperty("$set")
                            || event.hasProperty("$set_once")
                            || event.hasProperty("$unset");
        };
    }

    private void apply(CapturedEvent event, ObjectNode properties) {
        String distinctId = event.distinctId();
        switch (event.event()) {
            case "$groupidentify" -> {
                String type = Json.textOrNull(properties, "$group_type");
                String key = Json.textOrNull(properties, "$group_key");
                if (type != null && key != null) {
                    groups.identify(type, key, properties.get("$group_set"), event.timestamp());
                }
                return;
            }
            case "$identify" -> {
                String anonymous = Json.textOrNull(properties, "$anon_distinct_id");
                if (anonymous != null && !anonymous.equals(distinctId)) {
                    persons.link(distinctId, anonymous, true, event.timestamp());
                }
            }
            case "$create_alias", "$merge_dangerously" -> {
                String alias = Json.textOrNull(properties, "alias");
                if (alias != null && !alias.equals(distinctId)) {
                    persons.link(distinctId, alias, false, event.timestamp());
                }
            }
            default -> {}
        }
        // Capture has merged top-level $set / $set_once into properties, as PostHog's ingestion
        // does; $unset is read from properties only, as PostHog reads it.
        persons.update(
                distinctId,
                properties.get("$set"),
                properties.get("$set_once"),
                properties.get("$unset"),
                event.timestamp());
    }
}
