package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

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
                                })
                        .config();

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
        TestkitMain.Command command = TestkitMain.parse(new String[0]);
        assertThat(command.config().port()).isEqualTo(8010);
        assertThat(command.config().host()).isEqualTo("127.0.0.1");
        assertThat(command.help()).isFalse();
        assertThat(command.fixtures()).isNull();
    }

    @Test
    void helpAndTheTransportLimitsAreOptions() {
        TestkitMain.Command command =
                TestkitMain.parse(
                        new String[] {
                            "--help",
                            "--max-body-bytes",
                            "1000",
                            "--worker-threads",
                            "3",
                            "--journal-max-bytes",
                            "5000",
                            "--fixtures",
                            "f.json"
                        });

        assertThat(command.help()).isTrue();
        assertThat(command.config().maxRequestBodyBytes()).isEqualTo(1000);
        assertThat(command.config().workerThreads()).isEqualTo(3);
        assertThat(command.config().journalMaxBytes()).isEqualTo(5000);
        assertThat(command.fixtures()).hasToString("f.json");
        assertThat(TestkitMain.USAGE)
                .contains(
                        "--fixtures FILE",
                        "--help",
                        "--max-body-bytes",
                        "--worker-threads",
                        "--journal-max-bytes");
    }

    @Test
    void fixturesLoadFlagsPersonsCohortsAndGroups(@TempDir Path dir) throws Exception {
        Path fixtures = dir.resolve("fixtures.json");
        Files.writeString(
                fixtures,
                "{\"group_type_mapping\":{\"0\":\"company\"},"
                    + "\"persons\":[{\"distinct_id\":\"u1\",\"properties\":{\"plan\":\"pro\"},"
                    + "\"aliases\":[\"anon-1\"]},{\"distinct_id\":\"u2\"}],"
                    + "\"groups\":[{\"group_type\":\"company\",\"group_key\":\"acme\","
                    + "\"properties\":{\"size\":10}}],"
                    + "\"cohorts\":[{\"name\":\"vips\",\"distinct_ids\":[\"u2\"]},"
                    + "{\"name\":\"pros\",\"properties\":{\"type\":\"OR\",\"values\":[{\"key\":"
                    + "\"plan\",\"value\":\"pro\",\"type\":\"person\"}]}}],"
                    + "\"flags\":[{\"key\":\"vip-only\",\"filters\":{\"groups\":[{\"properties\":"
                    + "[{\"key\":\"id\",\"value\":1,\"type\":\"cohort\"}],"
                    + "\"rollout_percentage\":100}]}}]}");
        try (PostHogTestServer server = PostHogTestServer.builder().build().start()) {
            TestkitFixtures.load(fixtures, server.seed());

            assertThat(server.person("anon-1")).get().isEqualTo(server.person("u1").get());
            assertThat(server.person("u1").get().properties().get("plan").asText())
                    .isEqualTo("pro");
            assertThat(server.groups())
                    .singleElement()
                    .satisfies(
                            g -> {
                                assertThat(g.groupType()).isEqualTo("company");
                                assertThat(g.properties().get("size").asInt()).isEqualTo(10);
                            });
            TestHttp http = new TestHttp(server);
            assertThat(http.api("GET", http.project("cohorts/"), null).json().get("count").asInt())
                    .isEqualTo(2);
            String flags = "{\"api_key\":\"" + server.projectApiKey() + "\",\"distinct_id\":\"";
            assertThat(
                            http.post("/flags?v=2", flags + "u2\"}")
                                    .json()
                                    .at("/flags/vip-only/enabled")
                                    .asBoolean())
                    .isTrue();
            assertThat(
                            http.post("/flags?v=2", flags + "u1\"}")
                                    .json()
                                    .at("/flags/vip-only/enabled")
                                    .asBoolean())
                    .isFalse();
        }
    }

    @Test
    void badFixturesSayWhatIsWrong(@TempDir Path dir) throws Exception {
        Path fixtures = dir.resolve("bad.json");
        Files.writeString(fixtures, "{\"people\":[]}");
        try (PostHogTestServer server = PostHogTestServer.builder().build().start()) {
            assertThatThrownBy(() -> TestkitFixtures.load(fixtures, server.seed()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("people");
            Files.writeString(fixtures, "{\"persons\":[{\"properties\":{}}]}");
            assertThatThrownBy(() -> TestkitFixtures.load(fixtures, server.seed()))
                    .hasMessageContaining("distinct_id");
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
