package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import java.util.Collection;
import java.util.Map;

/**
 * A rough estimate of the heap a cached person takes: object headers, strings at two bytes a
 * character (an upper bound for compact strings), maps and lists with per-entry overhead.
 */
final class PersonSizeEstimator {
    static final int ENTRY_OVERHEAD = 96; // cache node, key string header, holder
    private static final int OBJECT = 16;
    private static final int STRING = 40;
    private static final int MAP_ENTRY = 48;
    private static final int LIST_SLOT = 8;
    private static final int MAX_DEPTH = 16;

    private PersonSizeEstimator() {}

    static long estimate(String key, Person person) {
        long size = ENTRY_OVERHEAD + string(key);
        if (person == null) {
            return size;
        }
        size += OBJECT + 7L * 8;
        size += string(person.id()) + string(person.uuid()) + string(person.name());
        size += string(person.createdAt()) + string(person.lastSeenAt());
        size += value(person.distinctIds(), 0);
        size += value(person.properties(), 0);
        return size;
    }

    private static long string(String s) {
        return s == null ? 0 : STRING + 2L * s.length();
    }

    private static long value(Object v, int depth) {
        if (v == null) {
            return 0;
        }
        if (depth > MAX_DEPTH) {
            return OBJECT;
        }
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof Map<?, ?> map) {
            long size = OBJECT + 32;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += MAP_ENTRY + value(e.getKey(), depth + 1) + value(e.getValue(), depth + 1);
            }
            return size;
        }
        if (v instanceof Collection<?> list) {
            long size = OBJECT + 24;
            for (Object item : list) {
                size += LIST_SLOT + value(item, depth + 1);
            }
            return size;
        }
        return OBJECT + 8; // boxed numbers, booleans
    }
}
