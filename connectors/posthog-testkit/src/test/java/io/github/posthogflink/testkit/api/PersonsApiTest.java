package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.persons.PersonSnapshot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PersonsApiTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private PersonSnapshot person(String distinctId, Map<String, ?> properties) {
        return posthog.seed().createPerson(distinctId, properties);
    }

    @Test
    void listsPersonsInPostHogsShape() {
        person("u1", Map.of("email", "one@example.com"));

        JsonNode page = http.api("GET", http.project("persons/"), null).json();

        assertThat(page.has("count")).isFalse();
        assertThat(page.get("next").isNull()).isTrue();
        JsonNode person = page.get("results").get(0);
        assertThat(person.get("name").asText()).isEqualTo("one@example.com");
        assertThat(person.get("distinct_ids").get(0).asText()).isEqualTo("u1");
        assertThat(person.get("properties").get("email").asText()).isEqualTo("one@example.com");
        assertThat(person.get("id").isNumber()).isTrue();
        assertThat(person.hasNonNull("uuid")).isTrue();
        assertThat(person.hasNonNull("created_at")).isTrue();
    }

    @Test
    void filtersByDistinctIdEmailSearchAndProperties() {
        person("u1", Map.of("email", "one@example.com", "plan", "pro"));
        person("u2", Map.of("email", "two@example.org", "plan", "free"));

        assertThat(names("persons/?distinct_id=u2")).containsExactly("two@example.org");
        assertThat(names("persons/?email=one@example.com")).containsExactly("one@example.com");
        assertThat(names("persons/?search=EXAMPLE.ORG")).containsExactly("two@example.org");
        String exact =
                URLEncoder.encode(
                        "[{\"key\":\"plan\",\"value\":\"pro\",\"operator\":\"exact\",\"type\":\"person\"}]",
                        StandardCharsets.UTF_8);
        assertThat(names("persons/?properties=" + exact)).containsExactly("one@example.com");
        String contains =
                URLEncoder.encode(
                        "[{\"key\":\"email\",\"value\":\"example\",\"operator\":\"icontains\"}]",
                        StandardCharsets.UTF_8);
        assertThat(names("persons/?properties=" + contains)).hasSize(2);
    }

    private List<String> names(String path) {
        List<String> names = new ArrayList<>();
        http.api("GET", http.project(path), null)
                .json()
                .get("results")
                .forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    @Test
    void paginatesWithAbsoluteNextLinksAndIncludeTotal() {
        for (int i = 0; i < 5; i++) {
            person("u" + i, Map.of());
        }

        JsonNode first =
                http.api("GET", http.project("persons/?limit=2&include_total"), null).json();

        assertThat(first.get("count").asInt()).isEqualTo(5);
        assertThat(first.get("results")).hasSize(2);
        String next = first.get("next").asText();
        assertThat(next)
                .startsWith(posthog.baseUrl() + "/api/projects/1/persons/")
                .contains("offset=2");
        JsonNode second = http.api("GET", next, null).json();
        assertThat(second.get("results")).hasSize(2);
        assertThat(second.get("previous").asText()).contains("offset=0");
    }

    @Test
    void retrievesByUuidOrNumericIdUnderEitherPrefix() {
        PersonSnapshot p = person("u1", Map.of());

        assertThat(
                        http.api("GET", http.project("persons/" + p.uuid() + "/"), null)
                                .json()
                                .get("id")
                                .asLong())
                .isEqualTo(p.id());
        assertThat(
                        http.api("GET", "/api/environments/1/persons/" + p.id() + "/", null)
                                .json()
                                .get("uuid")
                                .asText())
                .isEqualTo(p.uuid().toString());
    }

    @Test
    void unknownPersonIs404AndABadIdIs400() {
        TestHttp.Reply missing =
                http.api(
                        "GET", http.project("persons/00000000-0000-0000-0000-000000000000/"), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().toString())
                .isEqualTo(
                        "{\"type\":\"invalid_request\",\"code\":\"not_found\",\"detail\":\"Not"
                                + " found.\",\"attr\":null}");

        assertThat(http.api("GET", http.project("persons/not-an-id/"), null).status())
                .isEqualTo(400);
    }

    @Test
    void patchMergesPropertiesWith202() {
        PersonSnapshot p = person("u1", Map.of("a", "1"));

        assertThat(
                        http.api(
                                        "PATCH",
                                        http.project("persons/" + p.uuid() + "/"),
                                        "{\"properties\":{\"b\":\"2\"}}")
                                .status())
                .isEqualTo(202);
        assertThat(posthog.person("u1").orElseThrow().properties().toString())
                .isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(http.api("PATCH", http.project("persons/" + p.uuid() + "/"), "{}").status())
                .isEqualTo(400);
    }

    @Test
    void deletePropertyAndUpdateProperty() {
        PersonSnapshot p = person("u1", Map.of("a", "1", "b", "2"));

        TestHttp.Reply deleted =
                http.api(
                        "POST",
                        http.project("persons/" + p.id() + "/delete_property/"),
                        "{\"$unset\":\"a\"}");
        TestHttp.Reply updated =
                http.api(
                        "POST",
                        http.project("persons/" + p.id() + "/update_property/"),
                        "{\"key\":\"c\",\"value\":3}");

        assertThat(deleted.status()).isEqualTo(201);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(updated.status()).isEqualTo(202);
        assertThat(posthog.person("u1").orElseThrow().properties().toString())
                .isEqualTo("{\"b\":\"2\",\"c\":3}");
    }

    @Test
    void deleteRemovesThePersonWith202() {
        PersonSnapshot p = person("u1", Map.of());

        assertThat(http.api("DELETE", http.project("persons/" + p.uuid() + "/"), null).status())
                .isEqualTo(202);
        assertThat(posthog.persons()).isEmpty();
        assertThat(http.api("DELETE", http.project("persons/" + p.uuid() + "/"), null).status())
                .isEqualTo(404);
    }

    @Test
    void splitGivesEachDistinctIdItsOwnPerson() {
        posthog.seed().identify("u1", "anon", Map.of());
        PersonSnapshot merged = posthog.person("u1").orElseThrow();

        TestHttp.Reply reply =
                http.api("POST", http.project("persons/" + merged.uuid() + "/split/"), "{}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(posthog.persons()).hasSize(2);
    }

    @Test
    void bulkDeleteByDistinctIdsOrIds() {
        person("u1", Map.of());
        person("u2", Map.of());
        PersonSnapshot third = person("u3", Map.of());

        assertThat(
                        http.api(
                                        "POST",
                                        http.project("persons/bulk_delete/"),
                                        "{\"distinct_ids\":[\"u1\",\"nobody\"]}")
                                .status())
                .isEqualTo(202);
        assertThat(
                        http.api(
                                        "POST",
                                        http.project("persons/bulk_delete/"),
                                        "{\"ids\":[\"" + third.uuid() + "\"]}")
                                .status())
                .isEqualTo(202);
        assertThat(posthog.persons()).extracting(p -> p.distinctIds().get(0)).containsExactly("u2");
        assertThat(http.api("POST", http.project("persons/bulk_delete/"), "{}").status())
                .isEqualTo(400);
    }

    @Test
    void bulkDeleteAnswersPostHogsSummary() {
        person("u1", Map.of());
        PersonSnapshot kept = person("u2", Map.of());

        TestHttp.Reply deleted =
                http.api(
                        "POST",
                        http.project("persons/bulk_delete/"),
                        "{\"distinct_ids\":[\"u1\",\"nobody\"],\"delete_events\":true}");
        TestHttp.Reply keptPerson =
                http.api(
                        "POST",
                        http.project("persons/bulk_delete/"),
                        "{\"ids\":[\"" + kept.uuid() + "\"],\"keep_person\":true}");
        TestHttp.Reply both =
                http.api(
                        "POST",
                        http.project("persons/bulk_delete/"),
                        "{\"ids\":[\"" + kept.uuid() + "\"],\"distinct_ids\":[\"u2\"]}");

        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.json().get("persons_found").asInt()).isEqualTo(1);
        assertThat(deleted.json().get("persons_deleted").asInt()).isEqualTo(1);
        assertThat(deleted.json().get("events_queued_for_deletion").asBoolean()).isTrue();
        assertThat(deleted.json().get("recordings_queued_for_deletion").asBoolean()).isFalse();
        assertThat(deleted.json().get("deletion_errors")).isEmpty();
        assertThat(keptPerson.json().get("persons_found").asInt()).isEqualTo(1);
        assertThat(keptPerson.json().get("persons_deleted").asInt()).isZero();
        assertThat(posthog.person("u2")).isPresent();
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void batchByDistinctIdsTruncatesTo200IdsAnd10DistinctIdsPerPerson() {
        for (int i = 0; i < 12; i++) {
            posthog.seed().identify("big", "alias-" + i, Map.of());
        }
        List<String> ids = new ArrayList<>();
        ids.add("\"big\"");
        ids.add("\"missing\"");
        for (int i = 0; i < 250; i++) {
            person("p" + i, Map.of());
            ids.add("\"p" + i + "\"");
        }

        JsonNode results =
                http.api(
                                "POST",
                                http.project("persons/batch_by_distinct_ids/"),
                                "{\"distinct_ids\":[" + String.join(",", ids) + "]}")
                        .json()
                        .get("results");

        assertThat(results.size()).isEqualTo(199);
        assertThat(results.has("missing")).isFalse();
        assertThat(results.has("p197")).isTrue();
        assertThat(results.has("p198")).isFalse();
        assertThat(results.get("big").get("distinct_ids")).hasSize(10);
    }

    @Test
    void cohortsOfAPerson() {
        PersonSnapshot p = person("u1", Map.of("plan", "pro"));
        posthog.seed().createStaticCohort("vips", "u1");
        posthog.seed()
                .createDynamicCohort(
                        "pros",
                        io.github.posthogflink.testkit.http.Json.valueToTree(
                                Map.of(
                                        "type",
                                        "OR",
                                        "values",
                                        List.of(
                                                Map.of(
                                                        "key", "plan", "value", "pro", "type",
                                                        "person")))));
        posthog.seed()
                .createDynamicCohort(
                        "free",
                        io.github.posthogflink.testkit.http.Json.valueToTree(
                                Map.of(
                                        "type",
                                        "OR",
                                        "values",
                                        List.of(
                                                Map.of(
                                                        "key", "plan", "value", "free", "type",
                                                        "person")))));

        JsonNode results =
                http.api("GET", http.project("persons/cohorts/?person_id=" + p.uuid()), null)
                        .json()
                        .get("results");

        List<String> names = new ArrayList<>();
        results.forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("vips", "pros");
    }

    @Test
    void creatingAPersonIsNotAllowed() {
        assertThat(http.api("POST", http.project("persons/"), "{}").status()).isEqualTo(405);
    }

    @Test
    void requiresThePersonalApiKey() {
        TestHttp.Reply none = http.get(http.project("persons/"));
        TestHttp.Reply projectKey =
                http.get(
                        http.project("persons/"),
                        "Authorization",
                        "Bearer " + posthog.projectApiKey());
        TestHttp.Reply wrong =
                http.get(http.project("persons/"), "Authorization", "Bearer phx_wrong");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("type").asText()).isEqualTo("authentication_error");
        assertThat(projectKey.status()).isEqualTo(401);
        assertThat(projectKey.body()).doesNotContain(posthog.projectApiKey());
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void anotherProjectIs404() {
        assertThat(http.api("GET", "/api/projects/999/persons/", null).status()).isEqualTo(404);
        assertThat(http.api("GET", "/api/projects/@current/persons/", null).status())
                .isEqualTo(200);
    }
}
