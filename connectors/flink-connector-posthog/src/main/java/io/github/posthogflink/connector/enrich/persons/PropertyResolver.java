package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.persons.PersonsApi;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves values of one person property (e.g. {@code email}) with one page of the persons list,
 * filtered by {@code exact} against the list of values (PostHog reads a list value as "any of").
 * When several persons match a value, the first listed (the newest) wins. Values are matched
 * exactly first, then ignoring case, as PostHog's {@code exact} is case-insensitive. If the page is
 * truncated, the values it did not cover are reported undetermined, to be asked again.
 */
@PublicEvolving
public final class PropertyResolver implements PersonResolver {
    private final PersonsApi persons;
    private final String propertyKey;
    private final int maxKeys;

    public PropertyResolver(PersonsApi persons, String propertyKey, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1");
        }
        this.persons = persons;
        this.propertyKey = propertyKey;
        this.maxKeys = maxKeys;
    }

    @Override
    public int maxKeysPerRequest() {
        return maxKeys;
    }

    @Override
    public CompletableFuture<Resolution> resolve(List<String> keys) {
        List<Map<String, Object>> filter =
                List.of(
                        Map.of(
                                "key",
                                propertyKey,
                                "value",
                                keys,
                                "operator",
                                "exact",
                                "type",
                                "person"));
        ListParams params =
                ListParams.create()
                        .limit(Math.max(ListParams.DEFAULT_LIMIT, keys.size() * 2))
                        .set("properties", new String(Json.write(filter), StandardCharsets.UTF_8));
        return persons.list(params).thenApply(page -> match(keys, page));
    }

    private Resolution match(List<String> keys, Page<Person> page) {
        Map<String, Person> byValue = new HashMap<>();
        Map<String, Person> byLowerValue = new HashMap<>();
        for (Person person : page.results()) {
            Object value = person.properties().get(propertyKey);
            if (value == null) {
                continue;
            }
            String text = String.valueOf(value);
            byValue.putIfAbsent(text, person);
            byLowerValue.putIfAbsent(text.toLowerCase(Locale.ROOT), person);
        }
        Map<String, Person> found = new HashMap<>();
        Set<String> undetermined = new HashSet<>();
        for (String key : keys) {
            Person person = byValue.get(key);
            if (person == null) {
                person = byLowerValue.get(key.toLowerCase(Locale.ROOT));
            }
            if (person != null) {
                found.put(key, person);
            } else if (page.hasNext()) {
                undetermined.add(key);
            }
        }
        return new Resolution(found, undetermined);
    }
}
