package io.github.posthogflink.testkit.hogql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Loads {@code hogql/seed.json} into an engine whose clock is the seed's {@code now}. */
final class SeedData {
    static final ObjectMapper JSON = new ObjectMapper();

    private SeedData() {}

    static JsonNode resource(String name) {
        try (InputStream in = SeedData.class.getResourceAsStream("/hogql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource hogql/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HogQLEngine seededEngine() {
        JsonNode seed = resource("seed.json");
        HogQLEngine engine =
                new HogQLEngine(
                        Clock.fixed(Instant.parse(seed.get("now").asText()), ZoneOffset.UTC));
        for (JsonNode person : seed.get("persons")) {
            List<String> ids = new ArrayList<>();
            person.get("distinctIds").forEach(id -> ids.add(id.asText()));
            engine.upsertPerson(
                    new PersonRow(
                            UUID.fromString(person.get("uuid").asText()),
                            ids,
                            person.get("properties").toString(),
                            Instant.parse(person.get("createdAt").asText())));
        }
        // One insert per event, as separate capture requests would arrive.
        for (JsonNode event : seed.get("events")) {
            engine.insertEvents(
                    List.of(
                            new EventRow(
                                    UUID.fromString(event.get("uuid").asText()),
                                    event.get("event").asText(),
                                    event.get("distinctId").asText(),
                                    event.get("properties").toString(),
                                    Instant.parse(event.get("timestamp").asText()))));
        }
        return engine;
    }
}
