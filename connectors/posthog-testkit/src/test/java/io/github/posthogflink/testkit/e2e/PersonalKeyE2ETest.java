package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.api.PersonalApiKey;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A scoped personal key, seen through the client: the preflight call and PostHog's 403. */
class PersonalKeyE2ETest {
    private static final String QUERY_ONLY = "phx_e2e_query_only_key";

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.seed().personalApiKey(QUERY_ONLY, "query:read");
    }

    @Test
    void theClientReadsItsKeysScopesAndPostHogsRefusal() {
        try (PostHogClient client =
                PostHogClient.create(
                        E2EClients.config(posthog).personalApiKey(QUERY_ONLY).build())) {
            PersonalApiKey key = await(client.personalApiKeys().current());

            assertThat(key.scopes()).containsExactly("query:read");
            assertThat(key.missing(List.of("query:read", "person:read")))
                    .containsExactly("person:read");
            assertThat(key.allowsProject(posthog.projectId())).isTrue();
            assertThat(await(client.query().query(HogQLQuery.hogql("select 1"), null))).isNotNull();

            PostHogException refused =
                    E2EClients.failure(client.persons().list(ListParams.create()), 403);
            assertThat(refused.code()).isEqualTo("permission_denied");
            assertThat(refused.detail()).isEqualTo("API key missing required scope 'person:read'");
            assertThat(refused.isRetryable()).isFalse();
        }
    }

    @Test
    void theDefaultKeyHasEveryScope() {
        try (PostHogClient client = E2EClients.client(posthog)) {
            assertThat(await(client.personalApiKeys().current()).scopes()).containsExactly("*");
            assertThat(await(client.persons().list(ListParams.create())).results()).isEmpty();
        }
    }
}
