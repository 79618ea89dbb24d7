package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * One event of a capture v1 batch and PostHog's verdict on it ({@code v1/analytics/process.rs}):
 * {@code ok}; {@code warning} (stored without person processing, for a distinct id PostHog knows to
 * be a placeholder); or {@code drop} with the reason in {@code details}.
 */
final class V1Event {
    /** Longer event names and distinct ids (in bytes) are refused. */
    static final int MAX_NAME_BYTES = 200;

    static final int MAX_DISTINCT_ID_BYTES = 200;

    /** Timestamps more than this ahead of the server, after skew correction, become now. */
    private static final Duration FUTURE_CUTOFF = Duration.ofHours(23);

    /**
     * Distinct ids that mean an SDK bug ({@code ILLEGAL_DISTINCT_IDS}, compared trimmed and
     * case-insensitively): the event is stored with person processing off.
     */
    private static final Set<String> ILLEGAL_DISTINCT_IDS =
            Set.of(
                    "0",
                    "00000000-0000-0000-0000-000000000000",
                    "[object object]",
                    "anonymous",
                    "anonymous-user",
                    "backend",
                    "distinct_id",
                    "distinctid",
                    "email",
                    "false",
                    "guest",
                    "id",
                    "nan",
                    "none",
                    "not_authenticated",
                    "null",
                    "system",
                    "true",
                    "undefined",
                    "user");

    /** The option fields, their properties and whether they are booleans (else strings). */
    private record OptionField(String option, String property, boolean bool) {}

    private static final List<OptionField> OPTIONS =
            List.of(
                    new OptionField("cookieless_mode", "$cookieless_mode", true),
                    new OptionField("disable_skew_correction", "$ignore_sent_at", true),
                    new OptionField("product_tour_id", "$product_tour_id", false),
                    new OptionField("process_person_profile", "$process_person_profile", true));

    final JsonNode raw;
    final UUID uuid;
    final String wireUuid;
    String result = "ok";
    String details;
    CapturedEvent stored;
    private boolean skewCorrection = true;

    private V1Event(JsonNode raw, UUID uuid, String wireUuid) {
        this.raw = raw;
        this.uuid = uuid;
        this.wireUuid = wireUuid;
    }

    /**
     * Checks an event's fields as deserializing PostHog's {@code Event} does: a missing or mistyped
     * field fails the whole batch.
     */
    static void checkFields(JsonNode raw) throws V1Error {
        if (!raw.isObject()) {
            throw V1Error.requestParsing();
        }
        for (String field : List.of("event", "uuid", "distinct_id", "timestamp")) {
            if (!raw.path(field).isTextual()) {
                throw V1Error.requestParsing();
            }
        }
        for (String field : List.of("session_id", "window_id")) {
            JsonNode value = raw.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw V1Error.requestParsing();
            }
        }
    }

    /**
     * An event whose fields passed {@link #checkFields}; an empty or invalid uuid fails the batch.
     */
    static V1Event read(JsonNode raw) throws V1Error {
        String wireUuid = raw.get("uuid").asText().trim();
        if (wireUuid.isEmpty()) {
            throw V1Error.missingEventUuid();
        }
        UUID uuid = parseUuid(wireUuid);
        if (uuid == null) {
            throw V1Error.invalidEventUuid(wireUuid);
        }
        return new V1Event(raw, uuid, wireUuid);
    }

    /** A uuid as the {@code uuid} crate parses one: hyphenated, simple, braced or URN. */
    private static UUID parseUuid(String text) {
        String hex = text;
        if (hex.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            hex = hex.substring(9);
        } else if (hex.startsWith("{") && hex.endsWith("}")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        if (hex.matches(
                        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
                || hex.matches("[0-9a-fA-F]{32}")) {
            String digits = hex.replace("-", "");
            return new UUID(
                    Long.parseUnsignedLong(digits.substring(0, 16), 16),
                    Long.parseUnsignedLong(digits.substring(16), 16));
        }
        return null;
    }

    /**
     * Validates the event and builds what would be stored: a drop reason, or the event with the
     * options and {@code PostHog-Sdk-Info} turned into properties and its timestamp corrected for
     * the client's clock skew.
     */
    void validate(V1Headers headers, Instant now, boolean historical, String route) {
        String name = raw.get("event").asText();
        String distinctId = raw.get("distinct_id").asText().trim();
        if (name.isEmpty()) {
            drop("missing_event_name");
            return;
        }
        if (bytes(name) > MAX_NAME_BYTES) {
            drop("event_name_too_long");
            return;
        }
        if (distinctId.isEmpty()) {
            drop("missing_distinct_id");
            return;
        }
        if (bytes(distinctId) > MAX_DISTINCT_ID_BYTES) {
            drop("distinct_id_too_large");
            return;
        }
        Instant timestamp = V1Headers.parseRfc3339(raw.get("timestamp").asText());
        if (timestamp == null) {
            drop("invalid_event_timestamp");
            return;
        }
        JsonNode rawProperties = raw.has("properties") ? raw.get("properties") : Json.object();
        if (!rawProperties.isObject()) {
            drop("malformed_event_properties");
            return;
        }
        ObjectNode properties = ((ObjectNode) rawProperties).deepCopy();
        if (!injectOptions(properties)) {
            drop("invalid_options");
            return;
        }
        for (String field : List.of("session_id", "window_id")) {
            JsonNode value = raw.get(field);
            if (value != null && value.isTextual()) {
                properties.put("$" + field, value.asText());
            }
        }
        String[] lib = headers.libAndVersion();
        if (lib != null) {
            properties.put("$lib", lib[0]);
            properties.put("$lib_version", lib[1]);
        }
        if (ILLEGAL_DISTINCT_IDS.contains(distinctId.toLowerCase(Locale.ROOT))) {
            result = "warning";
            details = "person_processing_disabled";
            properties.put("$process_person_profile", false);
        }
        stored =
                new CapturedEvent(
                        uuid,
                        name,
                        distinctId,
                        properties,
                        adjusted(timestamp, headers.clientTimestamp(), now, skewCorrection),
                        now,
                        historical,
                        route,
                        raw);
    }

    /**
     * The option fields as their properties; false when a known option has a value of the wrong
     * type (or {@code options} is no object), which drops the event.
     */
    private boolean injectOptions(ObjectNode properties) {
        JsonNode options = raw.get("options");
        if (options == null || options.isNull()) {
            return true;
        }
        if (!options.isObject()) {
            return false;
        }
        boolean valid = true;
        for (OptionField field : OPTIONS) {
            JsonNode value = options.get(field.option());
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.bool()) {
                Boolean coerced = coerceBool(value);
                if (coerced == null) {
                    valid = false;
                } else {
                    properties.put(field.property(), coerced);
                    if (field.option().equals("disable_skew_correction")) {
                        skewCorrection = !coerced;
                    }
                }
            } else if (value.isTextual()) {
                properties.put(field.property(), value.asText());
            } else if (value.canConvertToLong() && value.isIntegralNumber()) {
                properties.put(field.property(), value.asText());
            } else {
                valid = false;
            }
        }
        return valid;
    }

    /**
     * {@code true}/{@code false}, {@code "true"}/{@code "1"}/{@code "false"}/{@code "0"}, numbers.
     */
    private static Boolean coerceBool(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual()) {
            return switch (value.asText().trim().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> null;
            };
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        return null;
    }

    /** The event time minus the client's clock skew; more than 23 h ahead becomes now. */
    private static Instant adjusted(
            Instant timestamp, Instant clientTimestamp, Instant now, boolean skewCorrection) {
        if (!skewCorrection) {
            return timestamp;
        }
        Instant adjusted = timestamp.minus(Duration.between(now, clientTimestamp));
        return Duration.between(now, adjusted).compareTo(FUTURE_CUTOFF) > 0 ? now : adjusted;
    }

    void drop(String reason) {
        result = "drop";
        details = reason;
        stored = null;
    }

    boolean accepted() {
        return stored != null;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
