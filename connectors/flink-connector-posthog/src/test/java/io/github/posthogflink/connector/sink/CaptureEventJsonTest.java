package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass writer against Jackson, byte for byte. */
class CaptureEventJsonTest {
    private static final String UUID = "0190a4c2-7b3e-7abc-8def-0123456789ab";

    @Test
    void writesWhatJacksonWrites() throws Exception {
        Random random = new Random(42);
        CaptureEventJson writer = new CaptureEventJson();
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> properties = new LinkedHashMap<>();
            for (int p = random.nextInt(6); p > 0; p--) {
                properties.put(text(random), value(random));
            }
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), nanos(random));
            PostHogEvent event =
                    PostHogEvent.builder(text(random) + "e", text(random) + "d")
                            .properties(properties)
                            .build();

            assertThat(new String(writer.write(event, UUID, at), "UTF-8"))
                    .isEqualTo(
                            new String(
                                    Json.MAPPER.writeValueAsBytes(expected(event, at)), "UTF-8"));
        }
    }

    /** A uuid given by its bits is written as {@link java.util.UUID#toString()} writes it. */
    @Test
    void writesUuidBitsAsTheirCanonicalText() {
        Random random = new Random(11);
        CaptureEventJson writer = new CaptureEventJson();
        PostHogEvent event = PostHogEvent.builder("e", "d").property("k", 1L).build();
        for (int i = 0; i < 2_000; i++) {
            long msb = i == 0 ? 0 : i == 1 ? -1 : random.nextLong();
            long lsb = i == 0 ? 0 : i == 1 ? -1 : random.nextLong();
            String uuid = new java.util.UUID(msb, lsb).toString();
            byte[] json = writer.write(event, msb, lsb, Instant.EPOCH);
            assertThat(json).isEqualTo(writer.write(event, uuid, Instant.EPOCH));
            int at = json.length - CaptureEventJson.UUID_FROM_END;
            assertThat(new String(json, at, 36, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(uuid);
        }
    }

    @Test
    void writesTimestampsAsInstantToString() {
        Random random = new Random(7);
        CaptureEventJson writer = new CaptureEventJson();
        List<Instant> instants =
                new java.util.ArrayList<>(
                        List.of(
                                Instant.EPOCH,
                                Instant.parse("0000-01-01T00:00:00Z"),
                                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                                Instant.parse("1969-12-31T23:59:59.5Z"),
                                Instant.parse("+10000-01-01T00:00:00Z"),
                                Instant.parse("-0001-12-31T23:59:59Z")));
        for (int i = 0; i < 5_000; i++) {
            instants.add(
                    Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, nanos(random)));
        }
        for (Instant at : instants) {
            PostHogEvent event = PostHogEvent.builder("e", "d").build();
            assertThat(Json.tree(writer.write(event, UUID, at)).get("timestamp").asText())
                    .isEqualTo(at.toString());
        }
    }

    @Test
    void replacesTheUsersLibProperties() {
        PostHogEvent event =
                PostHogEvent.builder("e", "d")
                        .property("$lib", "mine")
                        .property("$lib_version", "0")
                        .property("kept", 1)
                        .build();

        var json = Json.tree(new CaptureEventJson().write(event, UUID, Instant.EPOCH));

        assertThat(json.at("/properties/$lib").asText()).isEqualTo("posthog-flink");
        assertThat(json.at("/properties/$lib_version").asText())
                .isEqualTo(PostHogClientVersion.VERSION);
        assertThat(json.at("/properties/kept").asInt()).isEqualTo(1);
    }

    private static Map<String, Object> expected(PostHogEvent event, Instant at) {
        Map<String, Object> properties = new LinkedHashMap<>(event.properties());
        properties.remove("$lib");
        properties.remove("$lib_version");
        properties.put("$lib", PostHogElementConverter.LIB);
        properties.put("$lib_version", PostHogClientVersion.VERSION);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", event.event());
        json.put("distinct_id", event.distinctId());
        json.put("properties", properties);
        json.put("timestamp", at.toString());
        json.put("uuid", UUID);
        return json;
    }

    private static int nanos(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    private static final long[] EDGE_LONGS = {
        0,
        1,
        -1,
        9,
        10,
        -10,
        99,
        100,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MIN_VALUE + 1,
        1_000_000_000_000L
    };

    private static Object value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> null;
            case 1 ->
                    random.nextBoolean()
                            ? random.nextLong()
                            : EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 2 ->
                    random.nextBoolean()
                            ? random.nextInt()
                            : (Object) (int) EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 3 -> random.nextBoolean();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 5 -> Double.NaN;
            case 6 -> List.of(text(random), 1.5f);
            case 7 -> Map.of("k", text(random));
            default -> text(random);
        };
    }

    /** Text mixing ASCII, escapes, control characters, accents, CJK and emoji. */
    private static String text(Random random) {
        String[] pieces = {
            "a", "Z", "9", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u001f", "\u007f", "é", "ß",
            "中", "\u2028", "😀", "\uD83D", "\uDE00x", "$set"
        };
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }
}
