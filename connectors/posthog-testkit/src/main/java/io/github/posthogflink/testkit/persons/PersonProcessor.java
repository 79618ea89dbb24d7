package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies captured events to persons and groups as PostHog's ingestion does: {@code $set}, {@code
 * $set_once}, {@code $unset}, {@code $identify}, {@code $create_alias}, {@code $merge_dangerously}
 * and {@code $groupidentify}; nothing when {@code $process_person_profile} is false.
 */
public final class PersonProcessor {
    private final PersonStore persons;
    private final GroupStore groups;

    public PersonProcessor(PersonStore persons, GroupStore groups) {
        this.persons = persons;
        this.groups = groups;
    }

    public void process(CapturedEvent event) {
        ObjectNode properties = event.properties();
        if (properties.has("$process_person_profile")
                && !properties.get("$process_person_profile").asBoolean(true)) {
            return;
        }
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
        persons.upsert(
                distinctId,
                properties.get("$set"),
                properties.get("$set_once"),
                properties.get("$unset"),
                event.timestamp());
    }
}
