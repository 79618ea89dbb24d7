package io.github.posthogflink.client;

import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A call that the configuration cannot serve fails clearly and sends nothing. */
class MissingConfigurationTest {
    @RegisterExtension final RecordingServer server = new RecordingServer();

    @Test
    void privateCallsWithoutAPersonalKeyFailWith401AndSendNothing() {
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).personalApiKey(null).build())) {
            assertThatThrownBy(() -> PostHogClient.await(client.featureFlags().get(1)))
                    .isInstanceOfSatisfying(
                            PostHogException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(401);
                                assertThat(e.code()).isEqualTo("no_personal_api_key");
                                assertThat(e.isRetryable()).isFalse();
                                assertThat(e.endpoint())
                                        .isEqualTo("GET /api/projects/42/feature_flags/1/");
                            });
            assertThatThrownBy(() -> PostHogClient.await(client.users().me()))
                    .isInstanceOf(PostHogException.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void projectCallsWithoutAProjectIdFail() {
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).projectId((String) null).build())) {
            assertThatThrownBy(
                            () -> PostHogClient.await(client.persons().list(ListParams.create())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("project id");
            assertThatThrownBy(() -> PostHogClient.await(client.query().hogql("SELECT 1")))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> PostHogClient.await(client.cohorts().get(1)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void captureAndFlagsWithoutAProjectKeyFail() {
        try (PostHogClient client =
                PostHogClient.create(TestClients.config(server).projectApiKey(null).build())) {
            assertThatThrownBy(
                            () ->
                                    PostHogClient.await(
                                            client.capture()
                                                    .batch(
                                                            List.of(
                                                                    PostHogEvent.builder("e", "d")
                                                                            .build()))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("project API key");
            assertThatThrownBy(
                            () ->
                                    PostHogClient.await(
                                            client.flags().evaluate(FlagsRequest.of("d"))))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> PostHogClient.await(client.flags().definitions(null)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(server.requests()).isEmpty();
    }
}
