package io.github.posthogflink.testkit.inspect;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InspectionTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private String batch() {
        return "{\"api_key\":\""
                + posthog.projectApiKey()
                + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\","
                + "\"uuid\":\"01890a5d-ac96-774b-bcce-5f0b4f1e1a2b\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]}";
    }

    @Test
    void requestsAreRecordedWithMethodPathQueryHeadersAndDecodedBody() {
        http.postBytes(
                "/batch/?ver=1.0",
                TestHttp.gzip(batch()),
                "Content-Encoding",
                "gzip",
                "User-Agent",
                "sink/1.0");

        RecordedRequest recorded = posthog.requests().get(0);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/batch/");
        assertThat(recorded.query()).isEqualTo("ver=1.0");
        assertThat(recorded.header("User-Agent")).isEqualTo("sink/1.0");
        assertThat(recorded.bodyText()).isEqualTo(batch());
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(recorded.toString()).doesNotContain(posthog.projectApiKey());
    }

    @Test
    void theHttpInspectionApiShowsRequestsEventsPersonsAndCounters() {
        http.post("/batch/", batch());
        http.post("/batch", batch());
        http.post("/e/", "{bad");

        JsonNode requests = http.get("/_testkit/requests?path=/batch/").json().get("results");
        JsonNode raw = http.get("/_testkit/events").json();
        JsonNode deduped = http.get("/_testkit/events/deduped").json();
        JsonNode persons = http.get("/_testkit/persons").json().get("results");
        JsonNode counters = http.get("/_testkit/counters").json();

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("body").asText()).contains("\"event\":\"a\"");
        assertThat(raw.get("count").asInt()).isEqualTo(2);
        assertThat(raw.get("results").get(0).get("uuid").asText())
                .isEqualTo("01890a5d-ac96-774b-bcce-5f0b4f1e1a2b");
        assertThat(deduped.get("count").asInt()).isEqualTo(1);
        assertThat(persons.get(0).get("distinct_ids").get(0).asText()).isEqualTo("u1");
        assertThat(counters.get("requests").asLong()).isEqualTo(3);
        assertThat(counters.get("requests.POST /batch/").asLong()).isEqualTo(2);
        assertThat(counters.get("status.400").asLong()).isEqualTo(1);
        assertThat(counters.get("events.raw").asLong()).isEqualTo(2);
        assertThat(counters.get("events.deduped").asLong()).isEqualTo(1);
        assertThat(counters.get("persons").asLong()).isEqualTo(1);
    }

    @Test
    void eventsCanBeFilteredByNameAndDistinctId() {
        http.post("/batch/", batch());

        assertThat(http.get("/_testkit/events?event=a&distinct_id=u1").json().get("count").asInt())
                .isEqualTo(1);
        assertThat(http.get("/_testkit/events?event=b").json().get("count").asInt()).isZero();
    }

    @Test
    void resetOverHttpForgetsEverything() {
        http.post("/batch/", batch());
        posthog.seed().createFlag("f", 100);
        posthog.seed().identifyGroup("company", "acme", Map.of());

        assertThat(http.post("/_testkit/reset", "").status()).isEqualTo(204);

        assertThat(posthog.events()).isEmpty();
        assertThat(posthog.persons()).isEmpty();
        assertThat(posthog.groups()).isEmpty();
        assertThat(posthog.requests()).isEmpty();
        assertThat(
                        http.api("GET", http.project("feature_flags/"), null)
                                .json()
                                .get("count")
                                .asInt())
                .isZero();
    }

    @Test
    void testkitRequestsAreNotJournaled() {
        http.get("/_testkit/health");

        assertThat(posthog.requests()).isEmpty();
        assertThat(posthog.counters()).doesNotContainKey("requests");
    }

    @Test
    void groupsAreInspectable() {
        posthog.seed().identifyGroup("company", "acme", Map.of("plan", "pro"));

        JsonNode groups = http.get("/_testkit/groups").json();

        assertThat(groups.get("group_type_mapping").get("0").asText()).isEqualTo("company");
        assertThat(groups.get("results").get(0).get("group_properties").get("plan").asText())
                .isEqualTo("pro");
    }
}
