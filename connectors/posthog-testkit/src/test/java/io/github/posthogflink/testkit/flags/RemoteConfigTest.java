package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET …/feature_flags/:id_or_key/remote_config} as {@code posthog/api/feature_flag.py}. */
class RemoteConfigTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private ObjectNode remoteConfigFlag(String key, String payload) {
        ObjectNode body = Json.object().put("key", key).put("is_remote_configuration", true);
        ObjectNode filters = body.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        if (payload != null) {
            filters.putObject("payloads").put("true", payload);
        }
        return posthog.seed().createFlag(body);
    }

    private TestHttp.Reply get(String idOrKey, String bearer) {
        return http.get(
                "/api/projects/@current/feature_flags/"
                        + idOrKey
                        + "/remote_config?token="
                        + posthog.projectApiKey(),
                "Authorization",
                "Bearer " + bearer);
    }

    @Test
    void answersThePayloadByKeyOrIdWithThePersonalOrTheSecretKey() {
        ObjectNode flag = remoteConfigFlag("checkout-config", "{\"steps\":3}");

        TestHttp.Reply byKey = get("checkout-config", posthog.personalApiKey());
        TestHttp.Reply byId = get(flag.get("id").asText(), posthog.secureFlagsKey());

        assertThat(byKey.status()).isEqualTo(200);
        // The stored payload, a JSON-encoded string, answered as JSON: a JSON string.
        assertThat(byKey.json().isTextual()).isTrue();
        assertThat(byKey.json().asText()).isEqualTo("{\"steps\":3}");
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.body()).isEqualTo(byKey.body());
    }

    /**
     * PostHog registers {@code feature_flags} on the projects router only ({@code
     * products/feature_flags/backend}), so remote config, like every flag route, is "Endpoint not
     * found." under {@code /api/environments/}.
     */
    @Test
    void isNotServedUnderEnvironments() {
        remoteConfigFlag("c", "1");

        TestHttp.Reply reply =
                http.get(
                        "/api/environments/"
                                + posthog.projectId()
                                + "/feature_flags/c/remote_config/",
                        "Authorization",
                        "Bearer " + posthog.personalApiKey());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Endpoint not found.");
    }

    @Test
    void aFlagWithoutPayloadAnswersNull() {
        remoteConfigFlag("empty", null);

        TestHttp.Reply reply = get("empty", posthog.personalApiKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().isNull()).isTrue();
    }

    @Test
    void anOrdinaryOrUnknownFlagIsABare404() {
        posthog.seed().createFlag("ordinary", 100);

        TestHttp.Reply ordinary = get("ordinary", posthog.personalApiKey());
        TestHttp.Reply unknown = get("nope", posthog.personalApiKey());

        assertThat(ordinary.status()).isEqualTo(404);
        assertThat(ordinary.body()).isEmpty();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(get("999", posthog.personalApiKey()).status()).isEqualTo(404);
    }

    @Test
    void theProjectKeyOrNoKeyIsRefused() {
        remoteConfigFlag("c", "1");

        assertThat(get("c", posthog.projectApiKey()).status()).isEqualTo(401);
        assertThat(
                        http.get(
                                        "/api/projects/@current/feature_flags/c/remote_config?token="
                                                + posthog.projectApiKey())
                                .status())
                .isEqualTo(401);
    }
}
