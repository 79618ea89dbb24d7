package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.persons.BulkDeleteResult;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.persons.PersonDeletion;
import io.github.posthogflink.client.persons.PersonSplit;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The persons API through the real client, over persons made by capture. */
class PersonsE2ETest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static PostHogClient client;

    @BeforeAll
    static void connect() {
        client = E2EClients.client(posthog);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private static void identify(String distinctId, Map<String, ?> set) {
        await(
                client.capture()
                        .capture(PostHogEvent.builder("$identify", distinctId).set(set).build()));
    }

    private static String uuidOf(String distinctId) {
        return posthog.person(distinctId).orElseThrow().uuid().toString();
    }

    @Test
    void listGetUpdateAndDeleteProperty() {
        identify("ann", Map.of("email", "ann@example.com", "plan", "pro"));
        identify("bob", Map.of("email", "bob@example.com", "plan", "free"));
        String ann = uuidOf("ann");

        Page<Person> byEmail = await(client.persons().findByEmail("ann@example.com"));
        Page<Person> byPlan = await(client.persons().findByProperty("plan", "free"));
        Person fetched = await(client.persons().get(ann));
        await(client.persons().updateProperties(ann, Map.of("seats", 5, "plan", "team")));
        await(client.persons().deleteProperty(ann, "email"));
        Person changed = await(client.persons().get(ann));

        assertThat(byEmail.results()).extracting(Person::uuid).containsExactly(ann);
        assertThat(byPlan.results()).extracting(p -> p.distinctIds().get(0)).containsExactly("bob");
        assertThat(fetched.distinctIds()).containsExactly("ann");
        assertThat(fetched.properties()).containsEntry("plan", "pro");
        assertThat(changed.properties())
                .containsEntry("plan", "team")
                .containsEntry("seats", 5)
                .doesNotContainKey("email");
        assertThat(posthog.requests())
                .filteredOn(r -> r.path().endsWith("/delete_property/"))
                .extracting(RecordedRequest::status)
                .containsExactly(201);
    }

    @Test
    void batchByDistinctIdsLeavesUnknownIdsOut() {
        identify("ann", Map.of("plan", "pro"));
        identify("bob", Map.of("plan", "free"));

        Map<String, Person> found =
                await(client.persons().batchByDistinctIds(List.of("ann", "bob", "nobody")));

        assertThat(found).containsOnlyKeys("ann", "bob");
        assertThat(found.get("bob").properties()).containsEntry("plan", "free");
    }

    @Test
    void bulkDeleteByDistinctIdsAndByUuids() {
        identify("ann", Map.of());
        identify("bob", Map.of());
        identify("cat", Map.of());
        String cat = uuidOf("cat");

        BulkDeleteResult byDistinctId =
                await(client.persons().bulkDeleteByDistinctIds(List.of("ann", "nobody")));
        BulkDeleteResult byUuid = await(client.persons().bulkDeleteByIds(List.of(cat)));

        assertThat(byDistinctId.personsFound()).isEqualTo(1);
        assertThat(byDistinctId.personsDeleted()).isEqualTo(1);
        assertThat(byDistinctId.eventsQueuedForDeletion()).isFalse();
        assertThat(byUuid.personsDeleted()).isEqualTo(1);
        assertThat(posthog.persons())
                .extracting(p -> p.distinctIds().get(0))
                .containsExactly("bob");
        await(client.persons().delete(uuidOf("bob")));
        assertThat(posthog.persons()).isEmpty();
    }

    @Test
    void cohortsOfAPerson() {
        identify("ann", Map.of("plan", "pro"));
        identify("bob", Map.of("plan", "free"));
        JsonNode pros =
                await(
                        client.cohorts()
                                .create(
                                        Map.of(
                                                "name",
                                                "pros",
                                                "filters",
                                                Map.of(
                                                        "properties",
                                                        Map.of(
                                                                "type",
                                                                "OR",
                                                                "values",
                                                                List.of(
                                                                        Map.of(
                                                                                "key", "plan",
                                                                                "value", "pro",
                                                                                "type", "person",
                                                                                "operator",
                                                                                        "exact")))))));

        List<JsonNode> annsCohorts = await(client.persons().cohorts(uuidOf("ann")));
        List<JsonNode> bobsCohorts = await(client.persons().cohorts(uuidOf("bob")));

        assertThat(annsCohorts)
                .extracting(c -> c.get("id").asLong())
                .containsExactly(pros.get("id").asLong());
        assertThat(bobsCohorts).isEmpty();
    }

    @Test
    void splitSeparatesAMergedPerson() {
        await(client.capture().capture(PostHogEvent.builder("pageview", "anon-1").build()));
        await(
                client.capture()
                        .capture(
                                PostHogEvent.builder("$identify", "ann")
                                        .property("$anon_distinct_id", "anon-1")
                                        .build()));
        PersonSnapshot merged = posthog.person("ann").orElseThrow();
        assertThat(merged.distinctIds()).containsExactlyInAnyOrder("ann", "anon-1");

        await(client.persons().split(merged.uuid().toString()));

        assertThat(posthog.persons()).hasSize(2);
        assertThat(posthog.person("ann").orElseThrow().distinctIds()).hasSize(1);
        assertThat(posthog.person("anon-1").orElseThrow().distinctIds()).containsExactly("anon-1");
    }

    @Test
    void bulkDeleteKeepingThePersonQueuesOnlyItsEventsAndRecordings() {
        identify("ann", Map.of());

        BulkDeleteResult result =
                await(
                        client.persons()
                                .bulkDeleteByDistinctIds(
                                        List.of("ann"),
                                        PersonDeletion.PERSON_ONLY
                                                .withEvents()
                                                .withRecordings()
                                                .keepingPerson()));

        assertThat(result.personsFound()).isEqualTo(1);
        assertThat(result.personsDeleted()).isZero();
        assertThat(result.eventsQueuedForDeletion()).isTrue();
        assertThat(result.recordingsQueuedForDeletion()).isTrue();
        assertThat(posthog.person("ann")).isPresent();
        await(client.persons().delete(uuidOf("ann"), PersonDeletion.PERSON_ONLY.keepingPerson()));
        assertThat(posthog.person("ann")).as("destroy with keep_person").isPresent();
        await(client.persons().delete(uuidOf("ann"), PersonDeletion.PERSON_ONLY.withEvents()));
        assertThat(posthog.person("ann")).isEmpty();
    }

    @Test
    void splitKeepsTheMainDistinctIdOrMovesOnlyTheListedOnesOff() {
        mergeThree();
        PersonSnapshot merged = posthog.person("ann").orElseThrow();

        await(client.persons().split(merged.uuid().toString(), PersonSplit.keeping("anon-2")));

        assertThat(posthog.person("anon-2").orElseThrow().uuid()).isEqualTo(merged.uuid());
        assertThat(posthog.person("anon-2").orElseThrow().distinctIds()).containsExactly("anon-2");
        assertThat(posthog.person("ann").orElseThrow().uuid()).isNotEqualTo(merged.uuid());

        posthog.reset();
        mergeThree();
        PersonSnapshot again = posthog.person("ann").orElseThrow();
        await(
                client.persons()
                        .split(again.uuid().toString(), PersonSplit.movingOff(List.of("anon-1"))));

        assertThat(posthog.person("ann").orElseThrow().distinctIds())
                .containsExactlyInAnyOrder("ann", "anon-2");
        assertThat(posthog.person("anon-1").orElseThrow().uuid()).isNotEqualTo(again.uuid());
        assertThat(posthog.person("ann").orElseThrow().property("plan")).isEqualTo("pro");
    }

    @Test
    void splitRefusesDistinctIdsNotOnThePersonAsPostHogDoes() {
        mergeThree();
        String uuid = uuidOf("ann");

        PostHogException e =
                E2EClients.failure(
                        client.persons()
                                .split(uuid, PersonSplit.movingOff(List.of("anon-1", "zed", "bo"))),
                        400);

        assertThat(e.attr()).isEqualTo("distinct_ids_to_split");
        assertThat(e.detail()).isEqualTo("not on this person: ['bo', 'zed']");
        assertThat(posthog.persons()).hasSize(1);
    }

    /** One person "ann" (plan pro) with the distinct ids ann, anon-1 and anon-2. */
    private void mergeThree() {
        identify("ann", Map.of("plan", "pro"));
        for (String anon : List.of("anon-1", "anon-2")) {
            await(
                    client.capture()
                            .capture(
                                    PostHogEvent.builder("$identify", "ann")
                                            .property("$anon_distinct_id", anon)
                                            .build()));
        }
        assertThat(posthog.person("ann").orElseThrow().distinctIds()).hasSize(3);
    }

    @Test
    void iterateFollowsNextAcrossThreePages() {
        for (int i = 0; i < 5; i++) {
            identify("p" + i, Map.of("n", i));
        }

        List<Person> all =
                client.persons().iterate(ListParams.create().limit(2), 100).stream().toList();

        assertThat(all).hasSize(5);
        assertThat(all).extracting(Person::uuid).doesNotHaveDuplicates();
        List<RecordedRequest> pages =
                posthog.requests().stream()
                        .filter(r -> r.method().equals("GET"))
                        .filter(r -> r.path().equals("/api/projects/1/persons/"))
                        .toList();
        assertThat(pages).hasSize(3);
        assertThat(pages)
                .extracting(RecordedRequest::query)
                .containsExactly("limit=2", "limit=2&offset=2", "limit=2&offset=4");
    }
}
