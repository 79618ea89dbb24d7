package io.github.posthogflink.client;

import io.github.posthogflink.client.PostHogCredentials.Key;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys read from environment variables or files when the client is created, never shown. */
class PostHogCredentialsTest {
    private static final String PROJECT_KEY = "phc_SECRETfromfile123";
    private static final String PERSONAL_KEY = "phx_SECRETfromfile456";

    /** A variable no environment has. */
    private static final String UNSET = "POSTHOG_FLINK_TEST_UNSET_VARIABLE_7f3a";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    @TempDir Path dir;

    @Test
    void aPropertiesFileIsReadWhenTheClientIsCreated() throws Exception {
        Path file = dir.resolve("posthog.properties");
        Files.writeString(
                file, "project-api-key=" + PROJECT_KEY + "\npersonal-api-key = " + PERSONAL_KEY);
        server.on("POST", "/i/v0/e/").reply(Reply.json(200, "{\"status\":\"Ok\"}"));
        PostHogClientConfig config =
                TestClients.config(server)
                        .projectApiKey(null)
                        .personalApiKey(null)
                        .credentials(PostHogCredentials.fromFile(file.toString()))
                        .build();
        assertThat(config.projectApiKey()).isNull();
        assertThat(config.mayHave(Key.PROJECT_API_KEY)).isTrue();

        try (PostHogClient client = PostHogClient.create(config)) {
            PostHogClient.await(client.capture().capture(PostHogEvent.builder("e", "u").build()));
            assertThat(client.config().personalApiKey()).isEqualTo(PERSONAL_KEY);
        }

        assertThat(server.onlyRequest().bodyText()).contains(PROJECT_KEY);
        assertThat(config.toString()).contains(file.toString()).doesNotContain(PROJECT_KEY);
        assertThat(serialized(config)).doesNotContain(PROJECT_KEY);
    }

    @Test
    void aJsonFileIsReadByItsName() throws Exception {
        Path file = dir.resolve("posthog.json");
        Files.writeString(file, "{\"project-api-key\": \"" + PROJECT_KEY + "\"}");

        PostHogClientConfig resolved =
                PostHogClientConfig.fromFile(file.toString()).build().resolveCredentials();

        assertThat(resolved.projectApiKey()).isEqualTo(PROJECT_KEY);
        assertThat(resolved.personalApiKey()).isNull();
        assertThat(resolved.credentials()).isNull();
    }

    @Test
    void aKeyGivenInlineWinsOverTheProvider() throws Exception {
        Path file = dir.resolve("posthog.properties");
        Files.writeString(file, "project-api-key=" + PROJECT_KEY);
        PostHogClientConfig resolved =
                PostHogClientConfig.builder()
                        .projectApiKey("phc_inline")
                        .credentials(PostHogCredentials.fromFile(file.toString()))
                        .build()
                        .resolveCredentials(Key.PROJECT_API_KEY);
        assertThat(resolved.projectApiKey()).isEqualTo("phc_inline");
    }

    @Test
    void aMissingVariableIsNamedWithoutAnyValue() {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .credentials(
                                PostHogCredentials.fromEnvironment(
                                        Map.of(Key.PERSONAL_API_KEY, UNSET)))
                        .build();

        assertThatThrownBy(() -> config.resolveCredentials(Key.PERSONAL_API_KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "No PostHog personal API key: environment variable "
                                + UNSET
                                + " is not set");
        assertThat(config.toString()).contains(UNSET);
    }

    @Test
    void aMissingFileEntryOrFileIsNamed() throws Exception {
        Path file = dir.resolve("keys.properties");
        Files.writeString(file, "project-api-key=" + PROJECT_KEY);
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .credentials(PostHogCredentials.fromFile(file.toString()))
                        .build();

        assertThatThrownBy(() -> config.resolveCredentials(Key.PERSONAL_API_KEY))
                .hasMessage(
                        "No PostHog personal API key: entry 'personal-api-key' of the credentials"
                                + " file "
                                + file
                                + " is not set")
                .hasMessageNotContaining(PROJECT_KEY);
        PostHogClientConfig missing =
                PostHogClientConfig.builder()
                        .credentials(PostHogCredentials.fromFile(dir.resolve("nope").toString()))
                        .build();
        assertThatThrownBy(missing::resolveCredentials)
                .hasMessageContaining("Cannot read the PostHog credentials file")
                .hasMessageContaining("nope");
    }

    @Test
    void aMalformedJsonFileFailsWithoutQuotingIt() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"project-api-key\": " + PROJECT_KEY);
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .credentials(PostHogCredentials.fromFile(file.toString()))
                        .build();
        assertThatThrownBy(config::resolveCredentials)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining(PROJECT_KEY)
                .hasNoCause();
    }

    @Test
    void fromEnvLeavesKeysThatAreNotSetAbsent() {
        PostHogClientConfig.Builder builder = PostHogClientConfig.fromEnv();
        PostHogClientConfig config = builder.build();
        assertThat(config.credentials()).isNull();
        assertThat(config.projectApiKey()).isEqualTo(System.getenv("POSTHOG_PROJECT_API_KEY"));
    }

    @Test
    void blankVariableNamesAreRefused() {
        assertThatThrownBy(
                        () -> PostHogCredentials.fromEnvironment(Map.of(Key.PROJECT_API_KEY, " ")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostHogCredentials.fromFile(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String serialized(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
