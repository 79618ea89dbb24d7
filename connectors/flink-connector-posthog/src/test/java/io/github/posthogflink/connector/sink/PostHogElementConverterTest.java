package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import org.apache.flink.api.connector.sink2.SinkWriter;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.annotation.Nullable;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostHogElementConverterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static SinkWriter.Context context(@Nullable Long timestamp) {
        return new SinkWriter.Context() {
            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return timestamp;
            }
        };
    }

    private static <T> PostHogElementConverter<T> converter(
            PostHogEventConverter<T> inner, @Nullable EventIdentity<T> identity) {
        return new PostHogElementConverter<>(inner, identity, false, 1024 * 1024, CLOCK);
    }

    private static JsonNode json(PostHogRequestEntry entry) {
        return Json.tree(entry.json());
    }

    @Test
    void keepsTheUsersUuidLowerCasedAndTheirTimestamp() {
        UUID uuid = UUID.fromString("0190a4c2-7b3e-7abc-8def-0123456789ab");
        PostHogEvent event =
                PostHogEvent.builder("signed_up", "user-1")
                        .property("plan", "pro")
                        .timestamp(Instant.parse("2026-02-01T00:00:00Z"))
                        .uuid(uuid)
                        .build();
        PostHogRequestEntry entry =
                converter(PostHogEventConverters.events(), null).apply(event, context(5L));

        assertThat(entry.isRejected()).isFalse();
        assertThat(entry.uuid()).isEqualTo(uuid.toString());
        JsonNode node = json(entry);
        assertThat(node.get("uuid").asText()).isEqualTo(uuid.toString());
        assertThat(node.get("timestamp").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(node.get("event").asText()).isEqualTo("signed_up");
        assertThat(node.get("distinct_id").asText()).isEqualTo("user-1");
        assertThat(node.at("/properties/plan").asText()).isEqualTo("pro");
        assertThat(node.at("/properties/$lib").asText()).isEqualTo("posthog-flink");
        assertThat(node.at("/properties/$lib_version").asText())
                .isEqualTo(PostHogClientVersion.VERSION);
        assertThat(node.has("sent_at")).isFalse();
    }

    @Test
    void derivesAVersion5UuidFromTheIdentity() {
        PostHogElementConverter<PostHogEvent> converter =
                converter(PostHogEventConverters.events(), e -> "orders/3/1042");
        PostHogEvent event = PostHogEvent.builder("order", "user-1").build();

        PostHogRequestEntry first = converter.apply(event, context(1L));
        PostHogRequestEntry again = converter.apply(event, context(1L));

        // uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/posthog-flink"),
        //            "orders/3/1042") in Python
        assertThat(first.uuid()).isEqualTo("35b880cc-3153-5736-b7c5-69cd42bdc922");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(EventUuids.NAMESPACE)
                .isEqualTo(UUID.fromString("27d3da04-8487-5ca0-a4a0-3436f8bf00b2"));
        assertThat(UUID.fromString(first.uuid()).version()).isEqualTo(5);
    }

    /** The uuid of a typed event is read from its JSON: the same as an entry given it as text. */
    @Test
    void typedEntriesReadTheirUuidFromTheirJson() {
        PostHogElementConverter<PostHogEvent> converter =
                converter(PostHogEventConverters.events(), e -> "orders/3/1042");
        PostHogRequestEntry entry =
                converter.apply(PostHogEvent.builder("order", "user-1").build(), context(1L));
        PostHogRequestEntry given = PostHogRequestEntry.of(entry.uuid(), "order", entry.json());

        assertThat(entry.uuid()).isEqualTo(json(entry).get("uuid").asText());
        assertThat(entry).isEqualTo(given).hasSameHashCodeAs(given);
        assertThat(entry.toDeadLetter(RejectReason.INVALID_EVENT, "x").uuid())
                .isEqualTo("35b880cc-3153-5736-b7c5-69cd42bdc922");
    }

    @Test
    void nameBasedUuidMatchesTheRfcAlgorithm() {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assertThat(
                        EventUuids.nameBased(
                                UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                                "python.org"))
                .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    @Test
    void failsClearlyWithoutUuidOrIdentity() {
        PostHogElementConverter<PostHogEvent> converter =
                converter(PostHogEventConverters.events(), null);
        PostHogEvent event = PostHogEvent.builder("order", "user-1").build();

        assertThatThrownBy(() -> converter.apply(event, context(1L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setEventIdentity");
    }

    @Test
    void randomUuidsOnlyWhenOptedIn() {
        PostHogElementConverter<PostHogEvent> converter =
                new PostHogElementConverter<>(
                        PostHogEventConverters.events(), null, true, 1024, CLOCK);
        PostHogEvent event = PostHogEvent.builder("order", "user-1").build();

        String a = converter.apply(event, context(1L)).uuid();
        String b = converter.apply(event, context(1L)).uuid();
        assertThat(a).isNotEqualTo(b);
        assertThat(UUID.fromString(a).version()).isEqualTo(4);
    }

    @Test
    void timestampComesFromTheRecordElseTheClockAtConversion() {
        PostHogElementConverter<PostHogEvent> converter =
                converter(PostHogEventConverters.events(), e -> "id");
        PostHogEvent event = PostHogEvent.builder("order", "user-1").build();

        assertThat(json(converter.apply(event, context(1_700_000_000_123L))).get("timestamp"))
                .hasToString("\"2023-11-14T22:13:20.123Z\"");
        assertThat(json(converter.apply(event, context(null))).get("timestamp").asText())
                .isEqualTo(NOW.toString());
    }

    @Test
    void invalidUserUuidIsRejectedNotSent() {
        PostHogElementConverter<String> converter =
                converter(PostHogEventConverters.jsonStrings(), null);
        PostHogRequestEntry entry =
                converter.apply(
                        "{\"event\":\"e\",\"distinct_id\":\"u\",\"uuid\":\"not-a-uuid\"}",
                        context(1L));

        assertThat(entry.isRejected()).isTrue();
        assertThat(entry.rejectReason()).isEqualTo(RejectReason.INVALID_EVENT);
        assertThat(entry.rejectDetail()).contains("invalid uuid");
        assertThat(entry.sizeInBytes()).isZero();
    }

    @Test
    void malformedJsonAndMissingFieldsAreRejected() {
        PostHogElementConverter<String> converter =
                converter(PostHogEventConverters.jsonStrings(), s -> s);

        assertThat(converter.apply("{not json", context(1L)).rejectReason())
                .isEqualTo(RejectReason.INVALID_EVENT);
        assertThat(converter.apply("[1,2]", context(1L)).rejectDetail()).contains("JSON object");
        assertThat(converter.apply("{\"distinct_id\":\"u\"}", context(1L)).rejectDetail())
                .contains("event name");
        assertThat(converter.apply("{\"event\":\"e\"}", context(1L)).rejectDetail())
                .contains("distinct_id");
    }

    @Test
    void jsonStringsPassThroughWithSentAtRemoved() {
        PostHogElementConverter<String> converter =
                converter(PostHogEventConverters.jsonStrings(), s -> "k");
        PostHogRequestEntry entry =
                converter.apply(
                        "{\"event\":\"e\",\"distinct_id\":42,\"sent_at\":\"2026-01-01T00:00:00Z\","
                                + "\"properties\":{\"$lib\":\"other\",\"n\":1}}",
                        context(null));

        JsonNode node = json(entry);
        assertThat(node.get("distinct_id").asInt()).isEqualTo(42);
        assertThat(node.has("sent_at")).isFalse();
        assertThat(node.at("/properties/$lib").asText()).isEqualTo("posthog-flink");
        assertThat(node.at("/properties/n").asInt()).isEqualTo(1);
        assertThat(node.get("uuid").asText()).isEqualTo(EventUuids.fromIdentity("k").toString());
    }

    @Test
    void mapsConvert() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("event", "clicked");
        map.put("distinct_id", "u-9");
        map.put("properties", Map.of("button", "buy"));
        map.put("timestamp", "2026-02-02T10:00:00Z");
        PostHogRequestEntry entry =
                converter(PostHogEventConverters.maps(), m -> "m-1").apply(map, context(null));

        JsonNode node = json(entry);
        assertThat(node.get("event").asText()).isEqualTo("clicked");
        assertThat(node.at("/properties/button").asText()).isEqualTo("buy");
        assertThat(node.get("timestamp").asText()).isEqualTo("2026-02-02T10:00:00Z");
    }

    @Test
    void pojosConvertThroughALambda() {
        record Order(String id, String customer, double total) {}
        PostHogElementConverter<Order> converter =
                converter(
                        PostHogEventConverters.of(
                                (Order o) ->
                                        PostHogEvents.capture("order placed", o.customer())
                                                .property("total", o.total())
                                                .build()),
                        Order::id);
        JsonNode node = json(converter.apply(new Order("o-1", "c-1", 9.5), context(3L)));

        assertThat(node.get("distinct_id").asText()).isEqualTo("c-1");
        assertThat(node.at("/properties/total").asDouble()).isEqualTo(9.5);
        assertThat(node.get("uuid").asText()).isEqualTo(EventUuids.fromIdentity("o-1").toString());
    }

    @Test
    void oversizedEventIsRejectedBeforeSending() {
        PostHogElementConverter<PostHogEvent> converter =
                new PostHogElementConverter<>(
                        PostHogEventConverters.events(), e -> "big", false, 1000, CLOCK);
        PostHogEvent event =
                PostHogEvent.builder("big", "u").property("blob", "x".repeat(2000)).build();

        PostHogRequestEntry entry = converter.apply(event, context(1L));
        assertThat(entry.rejectReason()).isEqualTo(RejectReason.OVERSIZED);
        assertThat(entry.rejectDetail()).contains("maxRecordSizeInBytes 1000");
        assertThat(entry.sizeInBytes()).isZero();
    }

    /** Typed events are written by streaming, JSON converters through a tree: the same event. */
    @Test
    void typedAndJsonConvertersWriteTheSameEvent() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("tier", 2);
        nested.put("tags", java.util.List.of("a", "b"));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("text", "caf\u00e9 \"quoted\"");
        properties.put("long", 1L << 40);
        properties.put("int", 7);
        properties.put("double", 12.5);
        properties.put("float", 0.25f);
        properties.put("decimal", new java.math.BigDecimal("10.10"));
        properties.put("flag", true);
        properties.put("missing", null);
        properties.put("nested", nested);
        properties.put("at", Instant.parse("2026-01-02T03:04:05.678Z"));
        properties.put("$lib", "someone-else");
        PostHogEvent event =
                PostHogEvent.builder("order placed", "user-9").properties(properties).build();

        PostHogRequestEntry typed =
                converter(PostHogEventConverters.events(), e -> "orders/9")
                        .apply(event, context(1_700_000_000_123L));
        Map<String, Object> asMap = Json.MAPPER.convertValue(event, Map.class);
        PostHogRequestEntry fromJson =
                converter(PostHogEventConverters.maps(), e -> "orders/9")
                        .apply(asMap, context(1_700_000_000_123L));

        assertThat(json(typed)).isEqualTo(json(fromJson));
        assertThat(typed.uuid()).isEqualTo(fromJson.uuid());
        assertThat(json(typed).get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(json(typed).at("/properties/$lib").asText()).isEqualTo("posthog-flink");
        assertThat(json(typed).at("/properties/missing").isNull()).isTrue();
    }
}
