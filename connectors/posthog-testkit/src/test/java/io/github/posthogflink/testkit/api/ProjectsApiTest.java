package io.github.posthogflink.testkit.api;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.ProjectsApi.Project;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code GET /api/projects/:id/} through the client: the project, a 404, a 401. */
class ProjectsApiTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @Test
    void theClientReadsTheProjectWithItsProjectApiKey() {
        try (PostHogClient client = PostHogClient.create(config(posthog.personalApiKey()))) {
            Project project = PostHogClient.await(client.projects().current());

            assertThat(project.id()).isEqualTo(posthog.projectId());
            assertThat(project.apiToken()).isEqualTo(posthog.projectApiKey());
            assertThat(project.name()).isEqualTo(ProjectsApi.NAME);
            assertThat(PostHogClient.await(client.projects().get("@current")).id())
                    .isEqualTo(posthog.projectId());
        }
    }

    @Test
    void anotherProjectIsNotFoundAndAWrongKeyIsRefused() {
        try (PostHogClient client = PostHogClient.create(config(posthog.personalApiKey()))) {
            PostHogException missing =
                    catchThrowableOfType(
                            () -> PostHogClient.await(client.projects().get("999999")),
                            PostHogException.class);
            assertThat(missing.status()).isEqualTo(404);
        }
        try (PostHogClient client = PostHogClient.create(config("phx_wrong"))) {
            PostHogException refused =
                    catchThrowableOfType(
                            () -> PostHogClient.await(client.projects().current()),
                            PostHogException.class);
            assertThat(refused.status()).isEqualTo(401);
        }
        assertThat(http.get("/api/projects/" + posthog.projectId() + "/").status()).isEqualTo(401);
    }

    private static PostHogClientConfig config(String personalKey) {
        return PostHogClientConfig.builder()
                .host(posthog.baseUrl())
                .personalApiKey(personalKey)
                .projectId(posthog.projectId())
                .build();
    }
}
