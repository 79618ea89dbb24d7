package io.github.posthogflink.client.api;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /api/projects/:id/}, as PostHog's {@code ProjectBackwardCompatSerializer} answers. */
class ProjectsApiTest {
    private static final String PROJECT =
            """
            {"id":42,"uuid":"0187c2a1-3333-0000-aaaa-bbbbccccdddd","organization":"0187c2a1-2222",
             "name":"Default project","api_token":"phc_SECRETproject123","timezone":"UTC",
             "project_id":42,"is_demo":false,"access_control":false}
            """;

    @RegisterExtension final RecordingServer server = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void readsTheConfiguredProjectWithItsApiTokenKeptOutOfToString() {
        server.on("GET", "/api/projects/42/").reply(Reply.json(200, PROJECT));

        ProjectsApi.Project project = PostHogClient.await(client.projects().current());

        assertPrivate(server.onlyRequest(), "GET", "/api/projects/42/");
        assertThat(project.id()).isEqualTo(42);
        assertThat(project.name()).isEqualTo("Default project");
        assertThat(project.apiToken()).isEqualTo(TestClients.PROJECT_KEY);
        assertThat(project.toString()).contains("42").doesNotContain(TestClients.PROJECT_KEY);
    }

    @Test
    void anUnknownProjectIsA404() {
        server.on("GET", "/api/projects/7/")
                .reply(Reply.error(404, "invalid_request", "not_found", "Not found.", null));

        assertThatThrownBy(() -> PostHogClient.await(client.projects().get("7")))
                .isInstanceOfSatisfying(
                        PostHogException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
