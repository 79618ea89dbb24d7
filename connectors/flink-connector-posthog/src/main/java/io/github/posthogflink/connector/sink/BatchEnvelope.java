package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.http.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code /batch/} body from entries' JSON without re-serializing them: {@code
 * {"api_key":..., "historical_migration":true, "batch":[e1,e2,...]}}. No {@code sent_at}: it would
 * shift stored timestamps.
 */
final class BatchEnvelope {
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private final byte[] singlePrefix;

    BatchEnvelope(String projectApiKey, boolean historicalMigration) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("api_key", projectApiKey);
        if (historicalMigration) {
            head.put("historical_migration", true);
        }
        byte[] headJson = Json.write(head);
        // {"api_key":"..."} -> {"api_key":"...","batch":[
        ByteArrayOutputStream out = new ByteArrayOutputStream(headJson.length + 16);
        out.write(headJson, 0, headJson.length - 1);
        out.writeBytes(",\"batch\":[".getBytes(StandardCharsets.US_ASCII));
        this.prefix = out.toByteArray();
        // {"api_key":"..."} -> {"api_key":"...",
        this.singlePrefix = java.util.Arrays.copyOf(headJson, headJson.length);
        singlePrefix[singlePrefix.length - 1] = ',';
    }

    /** One event for {@code /i/v0/e/}: its own JSON with {@code api_key} as its first field. */
    byte[] single(PostHogRequestEntry entry) {
        byte[] json = entry.json();
        byte[] body = new byte[singlePrefix.length + json.length - 1];
        System.arraycopy(singlePrefix, 0, body, 0, singlePrefix.length);
        System.arraycopy(json, 1, body, singlePrefix.length, json.length - 1);
        return body;
    }

    byte[] build(List<PostHogRequestEntry> entries) {
        byte[] body = new byte[size(entries)];
        write(entries, body);
        return body;
    }

    /** The size of the body of these entries. */
    int size(List<PostHogRequestEntry> entries) {
        int size = prefix.length + SUFFIX.length + Math.max(0, entries.size() - 1);
        for (PostHogRequestEntry e : entries) {
            size += e.json().length;
        }
        return size;
    }

    /**
     * Writes the body into {@code body} (at least {@link #size} long), so that a caller can reuse
     * one buffer for every request; returns the length written.
     */
    int write(List<PostHogRequestEntry> entries, byte[] body) {
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        int pos = prefix.length;
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                body[pos++] = ',';
            }
            byte[] json = entries.get(i).json();
            System.arraycopy(json, 0, body, pos, json.length);
            pos += json.length;
        }
        System.arraycopy(SUFFIX, 0, body, pos, SUFFIX.length);
        return pos + SUFFIX.length;
    }
}
