package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.flags.FlagsResponse;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static io.github.posthogflink.testkit.e2e.E2EClients.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client against the testkit where PostHog's answers go beyond flag values: payloads stored as
 * JSON values, remote config, quota limits, remote-configuration payloads, capture refusals.
 */
class FlagsAnswersE2ETest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private PostHogClient client;

    @BeforeEach
    void setUp() {
        posthog.reset();
        client = E2EClients.client(posthog);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static ObjectNode flag(String key, boolean remoteConfig) {
        ObjectNode body =
                Json.object().put("key", key).put("is_remote_configuration", remoteConfig);
        ObjectNode filters = body.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("payloads").putObject("true").put("color", "blue");
        return body;
    }

    @Test
    void aPayloadStoredAsAJsonObjectIsReadLikeOneStoredAsAString() {
        posthog.seed().createFlag(flag("saved-today", false));
        posthog.seed().createFlagWithPayloadsAsSent(flag("saved-long-ago", false));

        long before = posthog.clock().millis();
        FlagsResponse answer = await(client.flags().evaluate(FlagsRequest.of("u1"), true));

        assertThat(answer.flag("saved-today").payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(answer.flag("saved-long-ago").payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(answer.flag("saved-today").metadata().hasExperiment()).isFalse();
        assertThat(answer.config().path("supportedCompression").isArray()).isTrue();
        assertThat(answer.evaluatedAt()).isBetween(before, posthog.clock().millis());
    }

    @Test
    void aQuotaLimitedProjectsAnswerIsRecognised() {
        posthog.seed().createFlag("f", 100);
        posthog.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);

        FlagsResponse answer = await(client.flags().evaluate(FlagsRequest.of("u1")));

        assertThat(answer.isQuotaLimited()).isTrue();
        assertThat(answer.flags()).isEmpty();
    }

    @Test
    void remoteConfigPayloadsWithThePersonalOrTheSecureKey() {
        posthog.seed().createFlag(flag("checkout-config", true));
        posthog.seed().createFlag(flag("ordinary", false));

        String withPersonalKey = await(client.flags().remoteConfigPayload("checkout-config"));
        String withSecureKey;
        try (PostHogClient secure =
                PostHogClient.create(
                        E2EClients.config(posthog)
                                .personalApiKey(null)
                                .flagsSecureKey(posthog.secureFlagsKey())
                                .build())) {
            withSecureKey = await(secure.flags().remoteConfigPayload("checkout-config"));
        }

        assertThat(withPersonalKey).isEqualTo("{\"color\":\"blue\"}");
        assertThat(withSecureKey).isEqualTo(withPersonalKey);
        failure(client.flags().remoteConfigPayload("ordinary"), 404);
    }

    @Test
    void anOversizedEventFailsTheBatchWith413AndTheOthersAreStored() {
        PostHogEvent small = PostHogEvent.builder("small", "u1").build();
        PostHogEvent big =
                PostHogEvent.builder("big", "u1").property("b", "x".repeat(1_000_001)).build();

        failure(client.capture().batch(List.of(small, big)), 413);

        assertThat(posthog.events()).extracting(e -> e.event()).containsExactly("small");
    }
}
