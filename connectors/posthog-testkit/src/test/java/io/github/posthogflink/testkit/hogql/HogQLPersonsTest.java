package io.github.posthogflink.testkit.hogql;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Person upserts, moves of distinct ids, deletion, clear and close. */
class HogQLPersonsTest {
    private static final UUID ANNA = new UUID(0, 1);
    private static final UUID BEN = new UUID(0, 2);
    private static final Instant T = Instant.parse("2024-03-01T00:00:00Z");

    private static List<List<Object>> rows(HogQLEngine engine, String query) throws Exception {
        return engine.execute(query, Map.of(), 0).results();
    }

    @Test
    void upsertReplacesPropertiesAndDistinctIds() throws Exception {
        try (HogQLEngine engine = new HogQLEngine()) {
            engine.insertEvents(
                    List.of(
                            new EventRow(new UUID(1, 1), "e", "d1", "{}", T),
                            new EventRow(new UUID(1, 2), "e", "d2", "{}", T)));
            engine.upsertPerson(new PersonRow(ANNA, List.of("d1"), "{\"name\":\"Anna\"}", T));
            engine.upsertPerson(
                    new PersonRow(ANNA, List.of("d1", "d2"), "{\"name\":\"Anna B\"}", T));

            assertThat(rows(engine, "SELECT id, properties.name FROM persons"))
                    .containsExactly(List.of(ANNA.toString(), "Anna B"));
            assertThat(
                            rows(
                                    engine,
                                    "SELECT distinct_id, person.properties.name FROM events ORDER"
                                            + " BY distinct_id"))
                    .containsExactly(List.of("d1", "Anna B"), List.of("d2", "Anna B"));
        }
    }

    @Test
    void aDistinctIdMovesToTheLatestPersonThatClaimsIt() throws Exception {
        try (HogQLEngine engine = new HogQLEngine()) {
            engine.insertEvents(List.of(new EventRow(new UUID(1, 1), "e", "shared", "{}", T)));
            engine.upsertPerson(new PersonRow(ANNA, List.of("shared"), "{}", T));
            engine.upsertPerson(new PersonRow(BEN, List.of("shared"), "{}", T));

            assertThat(rows(engine, "SELECT person_id FROM events"))
                    .containsExactly(List.of(BEN.toString()));
        }
    }

    @Test
    void deletePersonDetachesItsEvents() throws Exception {
        try (HogQLEngine engine = new HogQLEngine()) {
            engine.insertEvents(List.of(new EventRow(new UUID(1, 1), "e", "d1", "{}", T)));
            engine.upsertPerson(new PersonRow(ANNA, List.of("d1"), "{\"name\":\"Anna\"}", T));
            engine.deletePerson(ANNA);

            assertThat(rows(engine, "SELECT count() FROM persons")).containsExactly(List.of(0L));
            List<Object> row =
                    rows(engine, "SELECT person_id, person.properties.name FROM events").get(0);
            assertThat(row).containsExactly(null, null);
        }
    }

    @Test
    void clearRemovesEverything() throws Exception {
        try (HogQLEngine engine = SeedData.seededEngine()) {
            engine.clear();

            assertThat(rows(engine, "SELECT count() FROM events")).containsExactly(List.of(0L));
            assertThat(rows(engine, "SELECT count() FROM persons")).containsExactly(List.of(0L));
        }
    }

    @Test
    void closedEngineRefusesWork() {
        HogQLEngine engine = new HogQLEngine();
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.execute("SELECT 1", Map.of(), 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                engine.insertEvents(
                                        List.of(new EventRow(new UUID(1, 1), "e", "d", "{}", T))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidPropertiesAreRejectedOnInsert() {
        try (HogQLEngine engine = new HogQLEngine()) {
            assertThatThrownBy(
                            () ->
                                    engine.insertEvents(
                                            List.of(
                                                    new EventRow(
                                                            new UUID(1, 1), "e", "d", "[1]", T))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(
                            () ->
                                    engine.insertEvents(
                                            List.of(
                                                    new EventRow(
                                                            new UUID(1, 1),
                                                            "e",
                                                            "d",
                                                            "{\"a\":",
                                                            T))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void injectionAttemptLeavesTheStoreIntact() throws Exception {
        try (HogQLEngine engine = SeedData.seededEngine()) {
            String attack = "'; DELETE FROM events_raw; SELECT '";
            HogQLResult result =
                    engine.execute(
                            "SELECT count() FROM events WHERE event = {e}", Map.of("e", attack), 0);

            assertThat(result.results()).containsExactly(List.of(0L));
            assertThat(rows(engine, "SELECT count() FROM events")).containsExactly(List.of(7L));
        }
    }

    @Test
    void dateTimesFormatLikePostHog() {
        assertThat(ResultReader.formatDateTime(0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(ResultReader.formatDateTime(1_500_000)).isEqualTo("1970-01-01T00:00:01.500000Z");
        assertThat(ResultReader.formatDateTime(-1)).isEqualTo("1969-12-31T23:59:59.999999Z");
    }
}
