package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What capture v0 stores and answers where PostHog's ingestion goes beyond parsing: top-level
 * {@code $set}, events too large for Kafka, spent quotas and tokens.
 */
class CaptureAnswersTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private String batch(String... events) {
        return "{\"api_key\":\""
                + posthog.projectApiKey()
                + "\",\"batch\":["
                + String.join(",", events)
                + "]}";
    }

    @Test
    void topLevelSetAndSetOnceAreMergedIntoTheStoredPropertiesTopLevelWinning() {
        String event =
                "{\"event\":\"$set\",\"distinct_id\":\"u1\","
                        + "\"$set\":{\"plan\":\"pro\",\"seats\":3},"
                        + "\"$set_once\":{\"first_seen\":\"monday\"},"
                        + "\"properties\":{\"$set\":{\"plan\":\"free\",\"region\":\"eu\"}}}";

        assertThat(http.post("/batch/", batch(event)).status()).isEqualTo(200);

        CapturedEvent stored = posthog.events().get(0);
        assertThat(stored.properties().get("$set").get("plan").asText()).isEqualTo("pro");
        assertThat(stored.properties().get("$set").get("seats").asInt()).isEqualTo(3);
        assertThat(stored.properties().get("$set").get("region").asText()).isEqualTo("eu");
        assertThat(stored.properties().get("$set_once").get("first_seen").asText())
                .isEqualTo("monday");
        assertThat(posthog.person("u1").orElseThrow().properties().get("plan").asText())
                .isEqualTo("pro");
        // The event as sent is kept apart from the merged properties.
        assertThat(stored.raw().get("properties").get("$set").toString())
                .isEqualTo("{\"plan\":\"free\",\"region\":\"eu\"}");
        assertThat(stored.raw().get("properties").has("$set_once")).isFalse();
    }

    @Test
    void aTopLevelUnsetIsNotReadAsPostHogsCaptureHasNoSuchField() {
        http.post(
                "/batch/",
                batch("{\"event\":\"e\",\"distinct_id\":\"u1\",\"$set\":{\"plan\":\"pro\"}}"));

        http.post(
                "/batch/", batch("{\"event\":\"e\",\"distinct_id\":\"u1\",\"$unset\":[\"plan\"]}"));

        assertThat(posthog.person("u1").orElseThrow().properties().has("plan")).isTrue();
    }

    @Test
    void anEventTooLargeForKafkaIsA413AndTheRequestsOtherEventsAreStored() {
        String big = "x".repeat(1_000_001);
        TestHttp.Reply reply =
                http.post(
                        "/batch/",
                        batch(
                                "{\"event\":\"before\",\"distinct_id\":\"u1\"}",
                                "{\"event\":\"big\",\"distinct_id\":\"u1\",\"properties\":{\"b\":\""
                                        + big
                                        + "\"}}",
                                "{\"event\":\"after\",\"distinct_id\":\"u1\"}"));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.body()).contains("maximum event size exceeded");
        assertThat(posthog.events())
                .extracting(CapturedEvent::event)
                .containsExactly("before", "after");
    }

    @Test
    void quotesInAnEventCountTowardsItsKafkaSizeAsPostHogEscapesThem() {
        // 600,000 characters as sent, but about 1.2 MB once the event JSON is an escaped string.
        String quoted = "\\\"".repeat(300_000);
        String event =
                "{\"event\":\"quoted\",\"distinct_id\":\"u1\",\"properties\":{\"q\":\""
                        + quoted
                        + "\"}}";
        String plain = "x".repeat(600_000);

        assertThat(http.post("/batch/", batch(event)).status()).isEqualTo(413);
        assertThat(
                        http.post(
                                        "/batch/",
                                        batch(
                                                "{\"event\":\"plain\",\"distinct_id\":\"u1\","
                                                        + "\"properties\":{\"p\":\""
                                                        + plain
                                                        + "\"}}"))
                                .status())
                .isEqualTo(200);
        assertThat(posthog.events()).extracting(CapturedEvent::event).containsExactly("plain");
    }

    @Test
    void aQuotaLimitedProjectIsAnswered200AndItsEventsAreDropped() {
        posthog.seed().quotaLimit(QuotaLimits.Resource.EVENTS);

        TestHttp.Reply reply =
                http.post("/batch/", batch("{\"event\":\"e\",\"distinct_id\":\"u1\"}"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("Ok");
        assertThat(posthog.events()).isEmpty();
        assertThat(posthog.persons()).isEmpty();

        posthog.seed().liftQuotaLimit(QuotaLimits.Resource.EVENTS);
        http.post("/batch/", batch("{\"event\":\"e\",\"distinct_id\":\"u1\"}"));
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void resetLiftsQuotaLimits() {
        posthog.seed().quotaLimit(QuotaLimits.Resource.EVENTS);
        posthog.reset();

        http.post("/batch/", batch("{\"event\":\"e\",\"distinct_id\":\"u1\"}"));

        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void aMissingTokenIsA401AndAnUnknownOneA401NamingTheProjectApiKey() {
        TestHttp.Reply missing = http.post("/batch/", "[{\"event\":\"e\",\"distinct_id\":\"u1\"}]");
        TestHttp.Reply unknown =
                http.post(
                        "/batch/",
                        "{\"api_key\":\"phc_someone_else\",\"batch\":[{\"event\":\"e\","
                                + "\"distinct_id\":\"u1\"}]}");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("event submitted without an api_key");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).contains("project API key").doesNotContain("phc_someone_else");
        assertThat(posthog.events()).isEmpty();
    }
}
