package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostHog's query result cache ({@code QueryCacheManager}): fresh answers by cache key, the key
 * derived from the query node and the project as PostHog derives it from its cache payload ({@code
 * get_cache_key}: the node without {@code tags}). Entries stay until {@link #clear()} (PostHog's
 * {@code CACHED_RESULTS_TTL} is days); whether one is still usable is the query's {@link
 * Staleness}.
 */
final class QueryCache {
    private final Map<String, ObjectNode> entries = new ConcurrentHashMap<>();

    static String key(JsonNode query, long teamId) {
        ObjectNode payload = Json.object();
        JsonNode node = query.deepCopy();
        if (node.isObject()) {
            ((ObjectNode) node).remove("tags");
        }
        payload.set("query", canonical(node));
        payload.put("team_id", teamId);
        payload.put("timezone", "UTC");
        payload.put("version", 2);
        try {
            byte[] digest =
                    MessageDigest.getInstance("MD5")
                            .digest(Json.text(payload).getBytes(StandardCharsets.UTF_8));
            return "cache_" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the node with object keys sorted, so that key order does not change the key. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = Json.object();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            names.forEach(name -> sorted.set(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = Json.array();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        return node;
    }

    /** A copy of the cached answer, or null. */
    ObjectNode get(String key) {
        ObjectNode entry = entries.get(key);
        return entry == null ? null : entry.deepCopy();
    }

    void put(String key, ObjectNode answer) {
        entries.put(key, answer.deepCopy());
    }

    void clear() {
        entries.clear();
    }
}
