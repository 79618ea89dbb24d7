package io.github.posthogflink.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestkitMainTest {
    @Test
    void parsesTheCommandLine() {
        try (PostHogTestServer server =
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
                                })
                        .build()
                        .start()) {
            assertThat(server.projectApiKey()).isEqualTo("phc_a");
            assertThat(server.personalApiKey()).isEqualTo("phx_b");
            assertThat(server.projectId()).isEqualTo(7);
            assertThat(server.rateLimits().enabled()).isTrue();
            assertThat(
                            new TestHttp(server)
                                    .get("/_testkit/groups")
                                    .json()
                                    .get("group_type_mapping")
                                    .get("0")
                                    .asText())
                    .isEqualTo("company");
        }
    }

    @Test
    void refusesUnknownOptions() {
        assertThatThrownBy(() -> TestkitMain.parse(new String[] {"--nope"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestkitMain.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
