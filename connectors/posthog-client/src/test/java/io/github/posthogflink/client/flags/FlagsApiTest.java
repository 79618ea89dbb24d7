package io.github.posthogflink.client.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.posthogflink.client.testing.TestClients.PERSONAL_KEY;
import static io.github.posthogflink.client.testing.TestClients.PROJECT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagsApiTest {
    static final String FLAGS_V2 =
            """
            {"flags":{
              "beta-feature":{"key":"beta-feature","enabled":true,"variant":null,
                "reason":{"code":"condition_match","condition_index":0,
                          "description":"Matched condition set 1"},
                "metadata":{"id":12,"version":3,"description":null,
                            "payload":"{\\"color\\":\\"blue\\"}"}},
              "pricing-test":{"key":"pricing-test","enabled":true,"variant":"test",
                "reason":{"code":"condition_match","condition_index":1,
                          "description":"Matched condition set 2"},
                "metadata":{"id":13,"version":1,"description":"price page","payload":null}},
              "off-flag":{"key":"off-flag","enabled":false,
                "reason":{"code":"no_condition_match","condition_index":null,
                          "description":"No matching condition set"},
                "metadata":{"id":14,"version":2}}},
             "errorsWhileComputingFlags":false,
             "requestId":"42ab5a8b-1b3c-4e2f-9d1c-0f7e8a6b5c4d",
             "evaluatedAt":1764238530000,
             "quotaLimited":[]}
            """;

    static final String DEFINITIONS =
            """
            {"flags":[{"id":12,"team_id":42,"name":"Beta","key":"beta-feature",
               "filters":{"groups":[{"properties":[{"key":"email","value":"@acme.com",
                 "operator":"icontains","type":"person"}],"rollout_percentage":100}],
                 "payloads":{"true":"{\\"color\\":\\"blue\\"}"}},
               "deleted":false,"active":true,"ensure_experience_continuity":false}],
             "group_type_mapping":{"0":"company"},
             "cohorts":{}}
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
    void evaluateSendsTheProjectKeyAndServerRuntimeInTheBodyWithoutAuthorization() {
        server.on("POST", "/flags/").reply(Reply.json(200, FLAGS_V2));
        FlagsRequest request =
                FlagsRequest.of("user-1")
                        .withGroups(Map.of("company", "acme"))
                        .withPersonProperties(Map.of("email", "a@acme.com"))
                        .withGroupProperties(Map.of("company", Map.of("plan", "pro")))
                        .withFlagKeys(List.of("beta-feature", "pricing-test"));

        FlagsResponse response = PostHogClient.await(client.flags().evaluate(request));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.line()).isEqualTo("POST /flags/");
        assertThat(r.query()).containsEntry("v", List.of("2")).doesNotContainKey("config");
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.header("Origin")).isNull();
        assertThat(r.header("Referer")).isNull();
        JsonNode body = r.json();
        assertThat(body.path("api_key").asText()).isEqualTo(PROJECT_KEY);
        assertThat(body.path("evaluation_runtime").asText()).isEqualTo("server");
        assertThat(body.path("distinct_id").asText()).isEqualTo("user-1");
        assertThat(body.path("groups").path("company").asText()).isEqualTo("acme");
        assertThat(body.path("person_properties").path("email").asText()).isEqualTo("a@acme.com");
        assertThat(body.path("group_properties").path("company").path("plan").asText())
                .isEqualTo("pro");
        assertThat(body.path("flag_keys_to_evaluate"))
                .extracting(JsonNode::asText)
                .containsExactly("beta-feature", "pricing-test");
        assertThat(body.path("geoip_disable").asBoolean()).isTrue();

        assertThat(response.errorsWhileComputingFlags()).isFalse();
        assertThat(response.requestId()).isEqualTo("42ab5a8b-1b3c-4e2f-9d1c-0f7e8a6b5c4d");
        assertThat(response.flags()).hasSize(3);
        FlagResult beta = response.flag("beta-feature");
        assertThat(beta.enabled()).isTrue();
        assertThat(beta.value()).isEqualTo(true);
        assertThat(beta.payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(beta.reason().code()).isEqualTo("condition_match");
        assertThat(beta.metadata().id()).isEqualTo(12L);
        assertThat(response.flag("pricing-test").value()).isEqualTo("test");
        assertThat(response.flag("off-flag").enabled()).isFalse();
        assertThat(response.flag("off-flag").value()).isEqualTo(false);
    }

    @Test
    void evaluateWithConfigAddsTheConfigParameter() {
        server.on("POST", "/flags/").reply(Reply.json(200, FLAGS_V2));

        PostHogClient.await(client.flags().evaluate(FlagsRequest.of("u"), true));

        assertThat(server.onlyRequest().query())
                .containsEntry("v", List.of("2"))
                .containsEntry("config", List.of("true"));
    }

    @Test
    void definitionsSendTokenAndPersonalBearerAndReturnTheEtag() {
        server.on("GET", "/flags/definitions")
                .reply(Reply.json(200, DEFINITIONS).header("ETag", "\"v1-abc\""));

        FlagDefinitionsSnapshot snapshot = PostHogClient.await(client.flags().definitions(null));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.line()).isEqualTo("GET /flags/definitions");
        assertThat(r.queryParam("token")).isEqualTo(PROJECT_KEY);
        assertThat(r.query()).containsKey("send_cohorts");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + PERSONAL_KEY);
        assertThat(r.header("If-None-Match")).isNull();
        assertThat(snapshot.notModified()).isFalse();
        assertThat(snapshot.etag()).isEqualTo("\"v1-abc\"");
        assertThat(snapshot.definitions().path("flags").get(0).path("key").asText())
                .isEqualTo("beta-feature");
        assertThat(snapshot.definitions().path("group_type_mapping").path("0").asText())
                .isEqualTo("company");
    }

    @Test
    void definitionsWithAnEtagSendIfNoneMatchAndReport304AsNotModified() {
        server.on("GET", "/flags/definitions").reply(Reply.status(304).header("ETag", "\"v1\""));

        FlagDefinitionsSnapshot snapshot =
                PostHogClient.await(client.flags().definitions("\"v1\""));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(snapshot.notModified()).isTrue();
        assertThat(snapshot.definitions()).isNull();
        assertThat(snapshot.etag()).isEqualTo("\"v1\"");
    }

    @Test
    void definitionsFallBackToTheLegacyLocalEvaluationRouteOn404() {
        server.on("GET", "/flags/definitions").reply(Reply.status(404));
        server.on("GET", "/api/feature_flag/local_evaluation/")
                .reply(Reply.json(200, DEFINITIONS).header("ETag", "\"legacy\""));

        FlagDefinitionsSnapshot snapshot =
                PostHogClient.await(client.flags().definitions("\"old\""));

        List<RecordedRequest> sent = server.requests();
        assertThat(sent)
                .extracting(RecordedRequest::line)
                .containsExactly(
                        "GET /flags/definitions", "GET /api/feature_flag/local_evaluation/");
        RecordedRequest legacy = sent.get(1);
        assertThat(legacy.queryParam("token")).isEqualTo(PROJECT_KEY);
        assertThat(legacy.query()).containsKey("send_cohorts");
        assertThat(legacy.header("Authorization")).isEqualTo("Bearer " + PERSONAL_KEY);
        assertThat(legacy.header("If-None-Match")).isEqualTo("\"old\"");
        assertThat(snapshot.etag()).isEqualTo("\"legacy\"");
        assertThat(snapshot.definitions().path("flags")).hasSize(1);
    }

    @Test
    void definitionsPreferTheSecureKeyWhenConfigured() {
        server.on("GET", "/flags/definitions").reply(Reply.json(200, DEFINITIONS));
        try (PostHogClient secure =
                PostHogClient.create(
                        TestClients.config(server).flagsSecureKey("phs_SECRETsecure789").build())) {
            PostHogClient.await(secure.flags().definitions(null));
        }

        assertThat(server.onlyRequest().header("Authorization"))
                .isEqualTo("Bearer phs_SECRETsecure789");
    }

    @Test
    void definitionsWithoutAnyBearerKeyFailWithoutSendingARequest() {
        try (PostHogClient noKey =
                PostHogClient.create(TestClients.config(server).personalApiKey(null).build())) {
            assertThatThrownBy(() -> PostHogClient.await(noKey.flags().definitions(null)))
                    .isInstanceOfSatisfying(
                            PostHogException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(401);
                                assertThat(e.isRetryable()).isFalse();
                                assertThat(e.endpoint()).isEqualTo("GET /flags/definitions");
                            });
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void a401OnDefinitionsDoesNotFallBack() {
        server.on("GET", "/flags/definitions")
                .reply(
                        Reply.error(
                                401,
                                "authentication_error",
                                "authentication_failed",
                                "Incorrect authentication credentials.",
                                null));

        assertThatThrownBy(() -> PostHogClient.await(client.flags().definitions(null)))
                .isInstanceOfSatisfying(
                        PostHogException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(server.requests()).hasSize(1);
    }
}
