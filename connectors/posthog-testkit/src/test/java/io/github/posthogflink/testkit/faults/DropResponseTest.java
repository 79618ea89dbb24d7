package io.github.posthogflink.testkit.faults;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The answer lost on the way: PostHog stored the batch, the client saw a connection error. A retry
 * with the same uuids must then be deduplicated.
 */
class DropResponseTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private byte[] batch(UUID uuid) {
        return ("{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\"paid\",\"distinct_id\":\"u1\",\"uuid\":\""
                        + uuid
                        + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBatchIsStoredTheClientSeesAConnectionErrorAndTheRetryIsDeduplicated() {
        FaultRule rule =
                posthog.faults()
                        .add(FaultRule.matching(RouteMatcher.capture()).dropResponse().times(1));
        UUID uuid = UUID.fromString("01890a5d-ac96-774b-bcce-5f0b4f1e1a2b");

        assertThatThrownBy(() -> http.sendOrThrow("POST", "/batch/", batch(uuid)))
                .isInstanceOf(IOException.class);
        assertThat(posthog.events()).extracting(CapturedEvent::uuid).containsExactly(uuid);
        assertThat(posthog.requests()).extracting(RecordedRequest::status).containsExactly(0);

        assertThat(http.postBytes("/batch/", batch(uuid)).status()).isEqualTo(200);

        assertThat(posthog.events()).hasSize(2);
        assertThat(posthog.dedupedEvents()).extracting(CapturedEvent::uuid).containsExactly(uuid);
        assertThat(rule.firedCount()).isEqualTo(1);
        assertThat(posthog.counters()).containsEntry("faults.drop_response", 1L);
    }

    @Test
    void theRealClientRetriesTheLostAnswerAndPostHogKeepsOneCopy() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).dropResponse().times(1));
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(posthog.baseUrl())
                        .projectApiKey(posthog.projectApiKey())
                        .requestTimeout(Duration.ofSeconds(10))
                        .retryPolicy(
                                RetryPolicy.DEFAULT
                                        .withMaxRetries(2)
                                        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))
                        .build();
        UUID uuid = UUID.randomUUID();
        try (PostHogClient client = PostHogClient.create(config)) {
            PostHogClient.await(
                    client.capture()
                            .batch(List.of(PostHogEvent.builder("paid", "u1").uuid(uuid).build())));
        }

        assertThat(posthog.requests()).extracting(RecordedRequest::status).containsExactly(0, 200);
        assertThat(posthog.events()).hasSize(2);
        assertThat(posthog.dedupedEvents()).extracting(CapturedEvent::uuid).containsExactly(uuid);
    }

    @Test
    void theFaultIsProgrammableOverHttp() {
        TestHttp.Reply added =
                http.post(
                        "/_testkit/faults",
                        "{\"path\":\"/batch/\",\"type\":\"drop_response\",\"times\":1}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("type").asText()).isEqualTo("drop_response");
        UUID uuid = UUID.randomUUID();

        assertThatThrownBy(() -> http.sendOrThrow("POST", "/batch/", batch(uuid)))
                .isInstanceOf(IOException.class);
        assertThat(posthog.events()).extracting(CapturedEvent::uuid).containsExactly(uuid);
        JsonNode listed = http.get("/_testkit/faults").json().get("results").get(0);
        assertThat(listed.get("fired").asInt()).isEqualTo(1);
        assertThat(listed.get("remaining").asInt()).isZero();
    }
}
