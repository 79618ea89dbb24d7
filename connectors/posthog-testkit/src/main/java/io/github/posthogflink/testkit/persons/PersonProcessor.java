package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
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
        persons.upsert(
                distinctId,
                merged(event.raw().get("$set"), properties.get("$set")),
                merged(event.raw().get("$set_once"), properties.get("$set_once")),
                properties.has("$unset") ? properties.get("$unset") : event.raw().get("$unset"),
                event.timestamp());
    }

    private static JsonNode merged(JsonNode topLevel, JsonNode inProperties) {
        if (topLevel == null || !topLevel.isObject()) {
            return inProperties;
        }
        if (inProperties == null || !inProperties.isObject()) {
            return topLevel;
        }
        ObjectNode result = ((ObjectNode) topLevel).deepCopy();
        result.setAll((ObjectNode) inProperties.deepCopy());
        return result;
    }
}
