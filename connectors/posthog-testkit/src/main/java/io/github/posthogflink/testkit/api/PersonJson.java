package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** PostHog's {@code PersonSerializer}: id, name, distinct_ids, properties, created_at, uuid. */
public final class PersonJson {
    private static final List<String> NAME_PROPERTIES =
            List.of("email", "Email", "$email", "name", "Name", "username", "Username", "UserName");
    private static final Pattern UUID_LIKE =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private PersonJson() {}

    /** All distinct ids ({@code maxDistinctIds} < 0) or the first few. */
    public static ObjectNode render(PersonSnapshot person, int maxDistinctIds) {
        List<String> distinctIds = sortedDistinctIds(person);
        if (maxDistinctIds >= 0 && distinctIds.size() > maxDistinctIds) {
            distinctIds = distinctIds.subList(0, maxDistinctIds);
        }
        ObjectNode json = Json.object();
        json.put("id", person.id());
        json.put("name", name(person, distinctIds));
        ArrayNode ids = json.putArray("distinct_ids");
        distinctIds.forEach(ids::add);
        json.set("properties", person.properties());
        json.put("created_at", Json.time(person.createdAt()));
        json.put("uuid", person.uuid().toString());
        json.put("last_seen_at", Json.time(person.lastSeenAt()));
        return json;
    }

    /** Non-UUID distinct ids (identified users) before UUIDs (anonymous ones). */
    private static List<String> sortedDistinctIds(PersonSnapshot person) {
        return person.distinctIds().stream()
                .sorted(Comparator.comparing((String id) -> UUID_LIKE.matcher(id).matches()))
                .toList();
    }

    private static String name(PersonSnapshot person, List<String> distinctIds) {
        for (String property : NAME_PROPERTIES) {
            String value = person.property(property);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return distinctIds.isEmpty() ? String.valueOf(person.id()) : distinctIds.get(0);
    }
}
