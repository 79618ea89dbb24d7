package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PersonProcessingTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private void capture(String... events) {
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":["
                        + String.join(",", events)
                        + "]}";
        assertThat(http.post("/batch/", body).status()).isEqualTo(200);
    }

    @Test
    void anyEventCreatesItsPerson() {
        capture("{\"event\":\"pageview\",\"distinct_id\":\"u1\"}");

        assertThat(posthog.person("u1"))
                .hasValueSatisfying(p -> assertThat(p.distinctIds()).containsExactly("u1"));
    }

    @Test
    void processPersonProfileFalseCreatesNoPerson() {
        capture(
                "{\"event\":\"pageview\",\"distinct_id\":\"u1\",\"properties\":{\"$process_person_profile\":false,"
                    + "\"$set\":{\"plan\":\"pro\"}}}");

        assertThat(posthog.persons()).isEmpty();
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void setAndSetOnceApplyFromPropertiesAndTopLevel() {
        capture(
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"properties\":{\"$set\":{\"plan\":\"free\"},"
                    + "\"$set_once\":{\"first_seen\":\"monday\"}}}",
                "{\"event\":\"b\",\"distinct_id\":\"u1\",\"$set\":{\"plan\":\"pro\"},"
                        + "\"$set_once\":{\"first_seen\":\"tuesday\",\"source\":\"ad\"}}");

        assertThat(posthog.person("u1").orElseThrow().properties())
                .isEqualTo(
                        TestHttp.MAPPER
                                .createObjectNode()
                                .put("plan", "pro")
                                .put("first_seen", "monday")
                                .put("source", "ad"));
    }

    @Test
    void unsetRemovesProperties() {
        capture(
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"properties\":{\"$set\":{\"plan\":\"free\",\"x\":1}}}",
                "{\"event\":\"b\",\"distinct_id\":\"u1\",\"properties\":{\"$unset\":[\"x\"]}}");

        assertThat(posthog.person("u1").orElseThrow().properties().has("x")).isFalse();
    }

    @Test
    void identifyMergesTheAnonymousPerson() {
        capture(
                "{\"event\":\"pageview\",\"distinct_id\":\"anon-1\",\"properties\":{\"$set\":{\"referrer\":\"google\"}}}",
                "{\"event\":\"login\",\"distinct_id\":\"user@example.com\",\"properties\":{\"$set\":{\"plan\":\"pro\"}}}",
                "{\"event\":\"$identify\",\"distinct_id\":\"user@example.com\",\"properties\":{"
                    + "\"$anon_distinct_id\":\"anon-1\",\"$set\":{\"email\":\"user@example.com\"}}}");

        assertThat(posthog.persons())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.distinctIds())
                                    .containsExactlyInAnyOrder("anon-1", "user@example.com");
                            assertThat(p.property("referrer")).isEqualTo("google");
                            assertThat(p.property("plan")).isEqualTo("pro");
                            assertThat(p.property("email")).isEqualTo("user@example.com");
                            assertThat(p.identified()).isTrue();
                        });
    }

    @Test
    void identifyAddsTheNewIdToAnExistingAnonymousPerson() {
        capture(
                "{\"event\":\"pageview\",\"distinct_id\":\"anon-1\"}",
                "{\"event\":\"$identify\",\"distinct_id\":\"u1\",\"properties\":{\"$anon_distinct_id\":\"anon-1\"}}");

        assertThat(posthog.persons())
                .singleElement()
                .satisfies(p -> assertThat(p.distinctIds()).containsExactly("anon-1", "u1"));
    }

    @Test
    void identifyDoesNotMergeAnAlreadyIdentifiedPerson() {
        capture(
                "{\"event\":\"$identify\",\"distinct_id\":\"u1\",\"properties\":{\"$anon_distinct_id\":\"anon-1\"}}",
                "{\"event\":\"$identify\",\"distinct_id\":\"u2\",\"properties\":{\"$anon_distinct_id\":\"anon-2\"}}",
                "{\"event\":\"$identify\",\"distinct_id\":\"u2\",\"properties\":{\"$anon_distinct_id\":\"u1\"}}");

        assertThat(posthog.persons()).hasSize(2);
    }

    @Test
    void createAliasMergesEvenIdentifiedPersons() {
        capture(
                "{\"event\":\"$identify\",\"distinct_id\":\"u1\",\"properties\":{\"$anon_distinct_id\":\"a1\"}}",
                "{\"event\":\"$identify\",\"distinct_id\":\"u2\",\"properties\":{\"$anon_distinct_id\":\"a2\"}}",
                "{\"event\":\"$create_alias\",\"distinct_id\":\"u2\",\"properties\":{\"alias\":\"u1\"}}");

        assertThat(posthog.persons())
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.distinctIds())
                                        .containsExactlyInAnyOrder("u1", "a1", "u2", "a2"));
    }

    @Test
    void groupIdentifyStoresTheGroupAndItsType() {
        capture(
                "{\"event\":\"$groupidentify\",\"distinct_id\":\"u1\",\"properties\":{\"$group_type\":\"company\","
                    + "\"$group_key\":\"acme\",\"$group_set\":{\"plan\":\"enterprise\"}}}");

        assertThat(posthog.groups())
                .singleElement()
                .satisfies(
                        g -> {
                            assertThat(g.groupType()).isEqualTo("company");
                            assertThat(g.groupKey()).isEqualTo("acme");
                            assertThat(g.groupTypeIndex()).isZero();
                            assertThat(g.properties().get("plan").asText()).isEqualTo("enterprise");
                        });
    }

    @Test
    void javaSeedsCreateAndIdentifyPersons() {
        posthog.seed().createPerson("anon", Map.of("a", 1));
        posthog.seed().identify("user", "anon", Map.of("email", "u@example.com"));

        assertThat(posthog.person("user"))
                .hasValueSatisfying(
                        p -> {
                            assertThat(p.distinctIds()).containsExactlyInAnyOrder("anon", "user");
                            assertThat(p.property("email")).isEqualTo("u@example.com");
                            assertThat(p.property("a")).isEqualTo("1");
                        });
    }
}
