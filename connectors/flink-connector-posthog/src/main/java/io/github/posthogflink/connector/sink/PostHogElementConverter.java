package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The sink's {@link ElementConverter}: runs the user's {@link PostHogEventConverter}, then applies
 * the delivery rules once, at conversion time: a uuid (the user's, validated, or one derived from
 * the {@link EventIdentity}), a timestamp (the event's, else the record's, else the clock's now),
 * no {@code sent_at}, and {@code $lib}/{@code $lib_version}. The event is serialized here, so a
 * retry or a restore sends the very same bytes. Malformed and oversized events become rejected
 * entries that the writer hands to the error handler.
 */
@Internal
public final class PostHogElementConverter<T> implements ElementConverter<T, PostHogRequestEntry> {
    private static final long serialVersionUID = 1L;

    /** The value of {@code properties.$lib} on every event. */
    public static final String LIB = "posthog-flink";

    private final PostHogEventConverter<T> converter;
    @Nullable private final EventIdentity<T> identity;
    private final boolean randomUuids;
    private final long maxRecordSizeInBytes;
    private final Clock clock;
    private final boolean startsFromJson;
    @Nullable private transient CaptureEventJson eventJson;
    @Nullable private transient EventUuids.Deriver deriver;

    public PostHogElementConverter(
            PostHogEventConverter<T> converter,
            @Nullable EventIdentity<T> identity,
            boolean randomUuids,
            long maxRecordSizeInBytes,
            Clock clock) {
        this.converter = converter;
        this.identity = identity;
        this.randomUuids = randomUuids;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.clock = clock;
        this.startsFromJson = overridesToJson(converter);
    }

    @Override
    public PostHogRequestEntry apply(T element, SinkWriter.Context context) {
        return startsFromJson ? applyToJson(element, context) : applyToEvent(element, context);
    }

    /** Typed events are written in one streaming pass. */
    private PostHogRequestEntry applyToEvent(T element, SinkWriter.Context context) {
        PostHogEvent event;
        try {
            event = converter.convert(element, context);
        } catch (InvalidEventException | IllegalArgumentException e) {
            return rejectedUnparsed(element, e.getMessage());
        }
        long msb;
        long lsb;
        UUID given = event.uuid();
        if (given != null) {
            msb = given.getMostSignificantBits();
            lsb = given.getLeastSignificantBits();
        } else if (identity != null) {
            EventUuids.Deriver uuids = deriver();
            uuids.derive(identityOf(element));
            msb = uuids.msb();
            lsb = uuids.lsb();
        } else {
            UUID uuid = randomUuid();
            msb = uuid.getMostSignificantBits();
            lsb = uuid.getLeastSignificantBits();
        }
        Instant timestamp = event.timestamp() != null ? event.timestamp() : fallbackTime(context);
        if (eventJson == null) {
            eventJson = new CaptureEventJson();
        }
        // The uuid's String is made from the JSON only if an error report or a checkpoint needs it.
        byte[] json = eventJson.write(event, msb, lsb, timestamp);
        if (json.length > maxRecordSizeInBytes) {
            return sizeChecked(new UUID(msb, lsb).toString(), event.event(), json);
        }
        return PostHogRequestEntry.withUuidAt(
                event.event(), json, json.length - CaptureEventJson.UUID_FROM_END);
    }

    private EventUuids.Deriver deriver() {
        if (deriver == null) {
            deriver = new EventUuids.Deriver();
        }
        return deriver;
    }

    /** Converters that start from JSON get the rules applied to their JSON tree. */
    private PostHogRequestEntry applyToJson(T element, SinkWriter.Context context) {
        ObjectNode event;
        try {
            event = converter.toJson(element, context);
        } catch (InvalidEventException | IllegalArgumentException e) {
            return rejectedUnparsed(element, e.getMessage());
        }
        String name = textOrEmpty(event.get("event"));
        String uuid = "";
        try {
            if (name.isEmpty()) {
                throw new InvalidEventException("no event name");
            }
            JsonNode distinctId = event.get("distinct_id");
            if (distinctId == null || !(distinctId.isTextual() || distinctId.isNumber())) {
                throw new InvalidEventException("no distinct_id (a string or a number)");
            }
            uuid = uuidFor(element, event);
            event.put("uuid", uuid);
            freezeTimestamp(event, context);
        } catch (InvalidEventException e) {
            return PostHogRequestEntry.rejected(
                    uuid, name, write(event), RejectReason.INVALID_EVENT, e.getMessage());
        }
        event.remove("sent_at");
        properties(event)
                .put(CaptureEventJson.LIB_PROPERTY, LIB)
                .put(CaptureEventJson.LIB_VERSION_PROPERTY, PostHogClientVersion.VERSION);
        return sizeChecked(uuid, name, write(event));
    }

    private PostHogRequestEntry sizeChecked(String uuid, String name, byte[] json) {
        if (json.length > maxRecordSizeInBytes) {
            return PostHogRequestEntry.rejected(
                    uuid,
                    name,
                    json,
                    RejectReason.OVERSIZED,
                    "event is "
                            + json.length
                            + " bytes, more than maxRecordSizeInBytes "
                            + maxRecordSizeInBytes);
        }
        return PostHogRequestEntry.of(uuid, name, json);
    }

    private String uuidFor(T element, ObjectNode event) {
        JsonNode given = event.get("uuid");
        if (given != null && !given.isNull()) {
            if (!given.isTextual()) {
                throw new InvalidEventException("uuid is not a string");
            }
            return EventUuids.validate(given.asText());
        }
        return derivedUuid(element);
    }

    private String derivedUuid(T element) {
        if (identity != null) {
            EventUuids.Deriver uuids = deriver();
            uuids.derive(identityOf(element));
            return new UUID(uuids.msb(), uuids.lsb()).toString();
        }
        return randomUuid().toString();
    }

    /** A random uuid where the sink was told to make them, else the reason it must not. */
    private UUID randomUuid() {
        if (randomUuids) {
            return UUID.randomUUID();
        }
        throw new IllegalStateException(
                "An event has no uuid and the PostHog sink has no EventIdentity: set"
                        + " setEventIdentity(...) (e.g. topic/partition/offset) so replays keep"
                        + " their uuids, give events their own uuids, or opt in to random uuids"
                        + " with setRandomUuids(true) (replays then duplicate events)");
    }

    private String identityOf(T element) {
        String id = identity.identityOf(element);
        if (id == null || id.isEmpty()) {
            throw new IllegalStateException(
                    "The EventIdentity returned no identity for an event without a uuid");
        }
        return id;
    }

    private void freezeTimestamp(ObjectNode event, SinkWriter.Context context) {
        JsonNode given = event.get("timestamp");
        if (given != null && !given.isNull()) {
            if (!given.isTextual()) {
                throw new InvalidEventException("timestamp is not an ISO-8601 string");
            }
            return;
        }
        event.put("timestamp", fallbackTime(context).toString());
    }

    /** The record's timestamp, else the clock's now. */
    private Instant fallbackTime(@Nullable SinkWriter.Context context) {
        Long recordTimestamp = context == null ? null : context.timestamp();
        return recordTimestamp != null ? Instant.ofEpochMilli(recordTimestamp) : clock.instant();
    }

    private static boolean overridesToJson(PostHogEventConverter<?> converter) {
        try {
            return converter
                            .getClass()
                            .getMethod("toJson", Object.class, SinkWriter.Context.class)
                            .getDeclaringClass()
                    != PostHogEventConverter.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    private static ObjectNode properties(ObjectNode event) {
        JsonNode properties = event.get("properties");
        if (properties instanceof ObjectNode object) {
            return object;
        }
        return event.putObject("properties");
    }

    private static String textOrEmpty(@Nullable JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    private PostHogRequestEntry rejectedUnparsed(T element, String detail) {
        byte[] payload = converter.describe(element).getBytes(StandardCharsets.UTF_8);
        return PostHogRequestEntry.rejected("", "", payload, RejectReason.INVALID_EVENT, detail);
    }

    private static byte[] write(ObjectNode event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize an event", e);
        }
    }
}
