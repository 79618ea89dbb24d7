package io.github.posthogflink.testkit.quota;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /_testkit/quota}: quota limiting switched over HTTP, for users of the standalone jar. */
class QuotaApiTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private TestHttp.Reply flags() {
        return http.post(
                "/flags/?v=2",
                "{\"api_key\":\"" + posthog.projectApiKey() + "\",\"distinct_id\":\"u\"}");
    }

    private TestHttp.Reply capture() {
        return http.post(
                "/batch/",
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u\"}]}");
    }

    @Test
    void postSetsTheLimitedResourcesAndGetShowsThem() {
        assertThat(http.get("/_testkit/quota").json().get("limited")).isEmpty();

        TestHttp.Reply set = http.post("/_testkit/quota", "{\"limited\":[\"feature_flags\"]}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("limited").toString()).isEqualTo("[\"feature_flags\"]");
        assertThat(http.get("/_testkit/quota").json().get("limited").toString())
                .isEqualTo("[\"feature_flags\"]");
        assertThat(flags().json().get("quotaLimited").toString()).isEqualTo("[\"feature_flags\"]");
        assertThat(capture().status()).isEqualTo(200);
        assertThat(posthog.events()).hasSize(1);

        http.post("/_testkit/quota", "{\"limited\":[\"events\"]}");

        assertThat(flags().json().has("quotaLimited")).isFalse();
        assertThat(capture().status()).isEqualTo(200);
        assertThat(posthog.events()).as("dropped, as PostHog's capture v0 does").hasSize(1);

        http.post("/_testkit/quota", "{\"limited\":[]}");

        capture();
        assertThat(posthog.events()).hasSize(2);
    }

    @Test
    void anUnknownResourceOrAMissingListIsA400AndChangesNothing() {
        http.post("/_testkit/quota", "{\"limited\":[\"events\"]}");

        TestHttp.Reply unknown =
                http.post("/_testkit/quota", "{\"limited\":[\"feature_flags\",\"recordings\"]}");
        TestHttp.Reply missing = http.post("/_testkit/quota", "{}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("recordings", "feature_flags");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("attr").asText()).isEqualTo("limited");
        assertThat(http.get("/_testkit/quota").json().get("limited").toString())
                .isEqualTo("[\"events\"]");
    }

    @Test
    void resetLiftsTheLimits() {
        http.post("/_testkit/quota", "{\"limited\":[\"events\",\"feature_flags\"]}");

        http.post("/_testkit/reset", "");

        assertThat(http.get("/_testkit/quota").json().get("limited")).isEmpty();
    }
}
