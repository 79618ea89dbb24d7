package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.client.persons.Person;
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

        JsonNode byDistinctId =
                await(client.persons().bulkDeleteByDistinctIds(List.of("ann", "nobody")));
        JsonNode byUuid = await(client.persons().bulkDeleteByIds(List.of(cat)));

        assertThat(byDistinctId.get("persons_found").asInt()).isEqualTo(1);
        assertThat(byDistinctId.get("persons_deleted").asInt()).isEqualTo(1);
        assertThat(byUuid.get("persons_deleted").asInt()).isEqualTo(1);
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
