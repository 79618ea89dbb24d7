package io.github.posthogflink.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostHogTestServerTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder()
                    .projectApiKey("phc_custom")
                    .personalApiKey("phx_custom")
                    .projectId(42)
                    .build();

    @Test
    void theExtensionStartedTheServerOnLoopback() {
        assertThat(posthog.baseUrl()).startsWith("http://127.0.0.1:");
        assertThat(posthog.port()).isPositive();
        assertThat(new TestHttp(posthog).get("/_testkit/health").status()).isEqualTo(200);
    }

    @Test
    void exposesItsKeysAndProject() {
        assertThat(posthog.projectApiKey()).isEqualTo("phc_custom");
        assertThat(posthog.personalApiKey()).isEqualTo("phx_custom");
        assertThat(posthog.projectId()).isEqualTo(42);
        TestHttp http = new TestHttp(posthog);
        assertThat(http.api("GET", "/api/projects/42/persons/", null).status()).isEqualTo(200);
        assertThat(http.api("GET", "/api/projects/1/persons/", null).status()).isEqualTo(404);
    }

    @Test
    void toStringHoldsNoKeys() {
        assertThat(posthog.toString()).doesNotContain("phc_custom").doesNotContain("phx_custom");
    }

    @Test
    void startsInWellUnderASecondAndClosesCleanly() {
        long start = System.nanoTime();
        PostHogTestServer server = PostHogTestServer.builder().build().start();
        Duration startup = Duration.ofNanos(System.nanoTime() - start);
        try {
            assertThat(startup).isLessThan(Duration.ofSeconds(1));
            assertThat(new TestHttp(server).get("/_testkit/health").status()).isEqualTo(200);
        } finally {
            server.close();
        }
        assertThatThrownBy(server::baseUrl).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startIsIdempotentAndAFixedPortCanBeChosen() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (PostHogTestServer server = PostHogTestServer.builder().port(port).build()) {
            server.start().start();
            assertThat(server.port()).isEqualTo(port);
        }
    }

    @Test
    void groupTypeMappingIsConfigurable() {
        posthog.seed().setGroupTypeMapping(Map.of(0, "company", 1, "team"));

        assertThat(
                        new TestHttp(posthog)
                                .get("/_testkit/groups")
                                .json()
                                .get("group_type_mapping")
                                .get("1")
                                .asText())
                .isEqualTo("team");
        posthog.reset();
    }
}
