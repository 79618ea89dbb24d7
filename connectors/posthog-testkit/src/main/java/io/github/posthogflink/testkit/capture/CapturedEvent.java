package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the testkit stored it. Capture keeps each event compact: its JSON as sent (a span of
 * the request body) and the few fields ingestion reads; {@link #raw()} and {@link #properties()}
 * are parsed from that JSON on first call and then kept. {@link #propertiesCopy()} parses without
 * keeping, for code that reads many events once.
 */
public final class CapturedEvent {
    /** Properties whose presence capture records, so that reading them needs no parse. */
    static final int SET = 1;

    static final int SET_ONCE = 2;
    static final int UNSET = 4;
    static final int GROUPS = 8;
    static final int PROCESS_PERSON_PROFILE = 16;

    /** Top-level {@code $set} / {@code $set_once} to merge into the properties when parsed. */
    static final int MERGES_TOP_LEVEL = 32;

    private final long uuidHigh;
    private final long uuidLow;
    private final String event;
    private final String distinctId;
    private final long timestampSecond;
    private final int timestampNano;
    private final Instant receivedAt;
    private final boolean historicalMigration;
    private final String route;
    private final byte flags;

    /** The JSON as sent, shared with the request's other events; null once parsed eagerly. */
    private final byte[] json;

    private final int start;
    private final int end;
    private volatile Parsed parsed;

    /** The event as sent and its properties (merged with top-level {@code $set}s). */
    private record Parsed(JsonNode raw, ObjectNode properties) {}

    /**
     * An event whose trees are already built (capture v1 adds properties of its own).
     *
     * @param uuid the event's uuid, or the UUIDv7 the server assigned
     * @param distinctId after number-to-string conversion and the 200-character cut
     * @param properties the event's {@code properties} (never null)
     * @param timestamp the stored time, after clock-skew correction
     * @param receivedAt when the server received it (its clock)
     * @param raw the event's JSON as sent (tokens included: do not log it)
     */
    public CapturedEvent(
            UUID uuid,
            String event,
            String distinctId,
            ObjectNode properties,
            Instant timestamp,
            Instant receivedAt,
            boolean historicalMigration,
            String route,
            JsonNode raw) {
        this(
                uuid.getMostSignificantBits(),
                uuid.getLeastSignificantBits(),
                event,
                distinctId,
                timestamp,
                receivedAt,
                historicalMigration,
                route,
                null,
                0,
                0,
                0);
        this.parsed = new Parsed(raw, Objects.requireNonNull(properties, "properties"));
    }

    /** An event kept as the bytes {@code [start, end)} of {@code json}, with these facts. */
    CapturedEvent(
            long uuidHigh,
            long uuidLow,
            String event,
            String distinctId,
            Instant timestamp,
            Instant receivedAt,
            boolean historicalMigration,
            String route,
            byte[] json,
            int start,
            int end,
            int flags) {
        this.uuidHigh = uuidHigh;
        this.uuidLow = uuidLow;
        this.event = event;
        this.distinctId = distinctId;
        this.timestampSecond = timestamp.getEpochSecond();
        this.timestampNano = timestamp.getNano();
        this.receivedAt = receivedAt;
        this.historicalMigration = historicalMigration;
        this.route = route;
        this.json = json;
        this.start = start;
        this.end = end;
        this.flags = (byte) flags;
    }

    /** The event's uuid, or the UUIDv7 the server assigned. */
    public UUID uuid() {
        return new UUID(uuidHigh, uuidLow);
    }

    public String event() {
        return event;
    }

    /** After number-to-string conversion and the 200-character cut. */
    public String distinctId() {
        return distinctId;
    }

    /** The event's {@code properties} (never null), top-level {@code $set}s merged. */
    public ObjectNode properties() {
        return parsed().properties();
    }

    /** The stored time, after clock-skew correction. */
    public Instant timestamp() {
        return Instant.ofEpochSecond(timestampSecond, timestampNano);
    }

    /** {@link #timestamp()}'s epoch second, without making an {@link Instant}. */
    public long timestampEpochSecond() {
        return timestampSecond;
    }

    /** {@link #timestamp()}'s nanosecond of the second. */
    public int timestampNano() {
        return timestampNano;
    }

    /** When the server received it (its clock). */
    public Instant receivedAt() {
        return receivedAt;
    }

    public boolean historicalMigration() {
        return historicalMigration;
    }

    public String route() {
        return route;
    }

    /** The event's JSON as sent (tokens included: do not log it). */
    public JsonNode raw() {
        return parsed().raw();
    }

    /** A property as text, or null. */
    public String property(String name) {
        JsonNode value = properties().get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * A new copy of {@link #properties()}, parsed from the stored JSON unless already parsed, and
     * not kept: for reading many events once without keeping their trees.
     */
    public ObjectNode propertiesCopy() {
        Parsed known = parsed;
        return known != null ? known.properties().deepCopy() : parse().properties();
    }

    /**
     * Whether {@link #properties()} has {@code name}; answered without parsing for {@code $set},
     * {@code $set_once}, {@code $unset}, {@code $groups} and {@code $process_person_profile}.
     */
    public boolean hasProperty(String name) {
        Parsed known = parsed;
        if (known != null) {
            return known.properties().has(name);
        }
        int flag =
                switch (name) {
                    case "$set" -> SET;
                    case "$set_once" -> SET_ONCE;
                    case "$unset" -> UNSET;
                    case "$groups" -> GROUPS;
                    case "$process_person_profile" -> PROCESS_PERSON_PROFILE;
                    default -> 0;
                };
        return flag == 0 ? parse().properties().has(name) : (flags & flag) != 0;
    }

    /** ClickHouse's dedup key as a hash: uuid, event, distinct_id, day of timestamp. */
    int dedupHash() {
        long h = uuidHigh * 31 + uuidLow;
        h = h * 31 + event.hashCode();
        h = h * 31 + distinctId.hashCode();
        h = h * 31 + day();
        return (int) (h ^ (h >>> 32));
    }

    /** Whether both have the same dedup key. */
    boolean sameDedupKey(CapturedEvent other) {
        return uuidHigh == other.uuidHigh
                && uuidLow == other.uuidLow
                && day() == other.day()
                && event.equals(other.event)
                && distinctId.equals(other.distinctId);
    }

    /** The UTC day of the timestamp, as ClickHouse's {@code toDate(timestamp)}. */
    private long day() {
        return Math.floorDiv(timestampSecond, 86_400L);
    }

    private Parsed parsed() {
        Parsed known = parsed;
        if (known == null) {
            synchronized (this) {
                known = parsed;
                if (known == null) {
                    known = parse();
                    parsed = known;
                }
            }
        }
        return known;
    }

    private Parsed parse() {
        JsonNode raw;
        try {
            raw = Json.MAPPER.readTree(json, start, end - start);
        } catch (IOException e) {
            // Capture parsed these bytes before storing them.
            throw new UncheckedIOException("a stored event no longer parses", e);
        }
        ObjectNode properties =
                raw.path("properties").isObject()
                        ? (ObjectNode) raw.get("properties")
                        : Json.object();
        if ((flags & MERGES_TOP_LEVEL) != 0) {
            properties = TopLevelSets.merge(raw, properties);
        }
        return new Parsed(raw, properties);
    }

    /** Equal when every accessor answers the same (as the record this class once was). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CapturedEvent other)) {
            return false;
        }
        return uuidHigh == other.uuidHigh
                && uuidLow == other.uuidLow
                && timestampSecond == other.timestampSecond
                && timestampNano == other.timestampNano
                && historicalMigration == other.historicalMigration
                && event.equals(other.event)
                && distinctId.equals(other.distinctId)
                && Objects.equals(receivedAt, other.receivedAt)
                && Objects.equals(route, other.route)
                && properties().equals(other.properties())
                && Objects.equals(raw(), other.raw());
    }

    @Override
    public int hashCode() {
        return Objects.hash(uuid(), event, distinctId, timestamp(), receivedAt, route);
    }

    @Override
    public String toString() {
        return "CapturedEvent[" + event + " " + uuid() + " distinct_id=" + distinctId + "]";
    }
}
