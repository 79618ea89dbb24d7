package io.github.posthogflink.client.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static io.github.posthogflink.client.testing.TestClients.PERSONAL_KEY;
import static io.github.posthogflink.client.testing.TestClients.PROJECT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of PostHog's {@code /flags} answer beyond the flag values ({@code rust/feature-flags}
 * {@code FlagsResponse}), and a remote-configuration flag's payload.
 */
class FlagsAnswerTest {
    static final String ANSWER =
            """
            {"flags":{
              "as-string":{"key":"as-string","enabled":true,"variant":null,
                "reason":{"code":"condition_match","condition_index":0},
                "metadata":{"id":1,"version":1,"description":null,
                            "payload":"{\\"color\\":\\"blue\\"}","has_experiment":true}},
              "as-object":{"key":"as-object","enabled":true,"variant":null,
                "reason":{"code":"condition_match","condition_index":0},
                "metadata":{"id":2,"version":1,"payload":{"color":"blue"},"has_experiment":false}},
              "as-number":{"key":"as-number","enabled":true,
                "reason":{"code":"condition_match","condition_index":0},
                "metadata":{"id":3,"version":1,"payload":42}},
              "as-array":{"key":"as-array","enabled":true,
                "reason":{"code":"condition_match","condition_index":0},
                "metadata":{"id":4,"version":1,"payload":[1,"two"]}}},
             "errorsWhileComputingFlags":false,
             "requestId":"42ab5a8b-1b3c-4e2f-9d1c-0f7e8a6b5c4d",
             "evaluatedAt":1764238530000,
             "supportedCompression":["gzip","gzip-js"],
             "sessionRecording":false,
             "config":{"enable_collect_everything":true}}
            """;

    static final String QUOTA_LIMITED =
            """
            {"flags":{},"errorsWhileComputingFlags":false,"quotaLimited":["feature_flags"],
             "requestId":"42ab5a8b-1b3c-4e2f-9d1c-0f7e8a6b5c4d","evaluatedAt":1764238530000}
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

    private FlagsResponse evaluate(String body) {
        server.on("POST", "/flags/").reply(Reply.json(200, body));
        return PostHogClient.await(client.flags().evaluate(FlagsRequest.of("u"), true));
    }

    @Test
    void aPayloadOfAnyJsonTypeIsReadAsItsJsonText() {
        FlagsResponse response = evaluate(ANSWER);

        assertThat(response.flag("as-string").payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(response.flag("as-object").payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(response.flag("as-number").payload()).isEqualTo("42");
        assertThat(response.flag("as-array").payload()).isEqualTo("[1,\"two\"]");
    }

    @Test
    void hasExperimentIsReadAndNullWhenTheServerDoesNotSay() {
        FlagsResponse response = evaluate(ANSWER);

        assertThat(response.flag("as-string").metadata().hasExperiment()).isTrue();
        assertThat(response.flag("as-object").metadata().hasExperiment()).isFalse();
        assertThat(response.flag("as-number").metadata().hasExperiment()).isNull();
    }

    @Test
    void theRemoteConfigAndEvaluatedAtAreKept() {
        FlagsResponse response = evaluate(ANSWER);

        assertThat(response.evaluatedAt()).isEqualTo(1764238530000L);
        assertThat(response.config().path("supportedCompression").get(1).asText())
                .isEqualTo("gzip-js");
        assertThat(response.config().path("sessionRecording").asBoolean(true)).isFalse();
        assertThat(response.config().path("config").path("enable_collect_everything").asBoolean())
                .isTrue();
        assertThat(response.config().has("flags")).isFalse();
        assertThat(response.config().has("requestId")).isFalse();
        assertThat(response.isQuotaLimited()).isFalse();
        assertThat(response.flags())
                .containsOnlyKeys("as-string", "as-object", "as-number", "as-array");
    }

    @Test
    void aQuotaLimitedAnswerSaysSoAndHoldsNoFlag() {
        FlagsResponse response = evaluate(QUOTA_LIMITED);

        assertThat(response.isQuotaLimited()).isTrue();
        assertThat(response.quotaLimited()).containsExactly("feature_flags");
        assertThat(response.flags()).isEmpty();
        assertThat(response.config().isEmpty()).isTrue();
    }

    @Test
    void theAnswerSurvivesJavaSerialization() throws IOException, ClassNotFoundException {
        FlagsResponse response = evaluate(ANSWER);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(response);
        }
        Object copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }

        assertThat(copy).isEqualTo(response);
    }

    @Test
    void remoteConfigPayloadReadsTheStoredPayloadWithTheProjectToken() {
        server.on("GET", "/api/projects/42/feature_flags/checkout/remote_config/")
                .reply(Reply.json(200, "\"{\\\"steps\\\":3}\""));

        String payload = PostHogClient.await(client.flags().remoteConfigPayload("checkout"));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.queryParam("token")).isEqualTo(PROJECT_KEY);
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + PERSONAL_KEY);
        assertThat(payload).isEqualTo("{\"steps\":3}");
    }

    @Test
    void remoteConfigPayloadPrefersTheSecureKeyAndReadsNullAsNone() {
        server.on("GET", "/api/projects/42/feature_flags/empty/remote_config/")
                .reply(Reply.json(200, "null"));
        try (PostHogClient secure =
                PostHogClient.create(
                        TestClients.config(server).flagsSecureKey("phs_SECRETsecure789").build())) {
            assertThat(PostHogClient.await(secure.flags().remoteConfigPayload("empty"))).isNull();
        }

        assertThat(server.onlyRequest().header("Authorization"))
                .isEqualTo("Bearer phs_SECRETsecure789");
    }

    @Test
    void remoteConfigPayloadOfAFlagThatIsNoRemoteConfigFailsWith404() {
        server.on("GET", "/api/projects/42/feature_flags/ordinary/remote_config/")
                .reply(Reply.status(404));

        assertThatThrownBy(
                        () -> PostHogClient.await(client.flags().remoteConfigPayload("ordinary")))
                .isInstanceOfSatisfying(
                        PostHogException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
