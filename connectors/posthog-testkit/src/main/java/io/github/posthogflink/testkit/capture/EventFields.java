package io.github.posthogflink.testkit.capture;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What a capture body reader records of one event while streaming over it: where its JSON is in the
 * body, and the fields capture reads, each as the event's tree would answer it (a repeated key: the
 * last one). Strings are kept as text; other values of the fields read as text are kept apart so
 * that validation answers as it would on the tree.
 */
final class EventFields {
    /** Where the event's JSON starts and ends in the body. */
    int start;

    int end;

    /** Where the stored event keeps its JSON, from {@code jsonStart} ({@link StoredJson}). */
    byte[] json;

    int jsonStart;

    /** Whether the element is a JSON object (anything else fails the request). */
    boolean object;

    /** {@code event} as text; null when absent or not a string. */
    String event;

    /**
     * {@code distinct_id}, {@code $distinct_id} and {@code properties.distinct_id} as text (a
     * string as it is, any other value as its JSON); null when absent or JSON null.
     */
    String distinctId;

    String dollarDistinctId;
    String propertiesDistinctId;

    /** {@code uuid} as text; null when absent or null, or when read as {@link #uuidCanonical}. */
    String uuid;

    /** Whether {@code uuid} was the canonical 36-character form, read into these bits. */
    boolean uuidCanonical;

    long uuidHigh;
    long uuidLow;

    /** Whether {@code uuid} is there but neither a string nor null. */
    boolean uuidNotText;

    /** Whether {@code timestamp} is there and not null. */
    boolean timestampGiven;

    /** {@code timestamp} as a time when it is a string that reads as one; else null. */
    Instant timestamp;

    /** {@code sent_at} and {@code offset} as sent; null when absent. */
    JsonNode sentAt;

    JsonNode offset;

    /** {@code properties.$ignore_sent_at} read as a boolean (false by default). */
    boolean ignoreSentAt;

    /**
     * {@code token}, {@code $token}, {@code api_key}: at the top level, then in properties; null
     * until one is seen.
     */
    JsonNode[] tokens;

    /** The {@link CapturedEvent} flags of the properties and the top-level sets. */
    int propertyFlags;

    int topLevelFlags;

    /** Forgets what an earlier {@code properties} key of the same event said. */
    void clearProperties() {
        propertiesDistinctId = null;
        ignoreSentAt = false;
        if (tokens != null) {
            tokens[3] = null;
            tokens[4] = null;
            tokens[5] = null;
        }
        propertyFlags = 0;
    }

    void uuid(String text) {
        uuid = text;
        uuidCanonical = false;
        uuidNotText = false;
    }

    /** Records a token key ({@link #tokenIndex}, plus 3 in properties). */
    void token(int index, JsonNode value) {
        if (tokens == null) {
            tokens = new JsonNode[6];
        }
        tokens[index] = value;
    }

    /** The {@link CapturedEvent} flags of the properties once top-level sets are merged. */
    int flags() {
        int merged = topLevelFlags == 0 ? 0 : CapturedEvent.MERGES_TOP_LEVEL;
        return propertyFlags | topLevelFlags | merged;
    }

    /** The event's first non-empty string among its tokens, as PostHog looks for one; or null. */
    String token() {
        if (tokens == null) {
            return null;
        }
        for (JsonNode token : tokens) {
            if (token != null && token.isTextual() && !token.asText().isEmpty()) {
                return token.asText();
            }
        }
        return null;
    }

    /** The index of a token key in {@link #tokens} (at the top level), or -1. */
    static int tokenIndex(String name) {
        return switch (name) {
            case "token" -> 0;
            case "$token" -> 1;
            case "api_key" -> 2;
            default -> -1;
        };
    }
}
