package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.Json;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestkitMainTest {
    @Test
    void parsesTheCommandLineAndServes() throws Exception {
        TestkitConfig config =
                TestkitMain.parse(
                        new String[] {
                            "--port",
                            "0",
                            "--project-api-key",
                            "phc_a",
                            "--personal-api-key",
                            "phx_b",
                            "--project-id",
                            "7",
                            "--group-type",
                            "0=company",
                            "--rate-limits"
                        });

        assertThat(config.projectApiKey()).isEqualTo("phc_a");
        assertThat(config.personalApiKey()).isEqualTo("phx_b");
        assertThat(config.projectId()).isEqualTo(7);
        assertThat(config.rateLimits()).isTrue();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        try (TestkitServer server = new TestkitServer(config, true)) {
            server.start();
            HttpResponse<String> groups =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            server.transport().baseUrl()
                                                                    + "/_testkit/groups"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(Json.parse(groups.body()).get("group_type_mapping").get("0").asText())
                    .isEqualTo("company");
        }
    }

    @Test
    void defaultsToPort8010() {
        assertThat(TestkitMain.parse(new String[0]).port()).isEqualTo(8010);
    }

    @Test
    void refusesUnknownOptions() {
        assertThatThrownBy(() -> TestkitMain.parse(new String[] {"--nope"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestkitMain.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
