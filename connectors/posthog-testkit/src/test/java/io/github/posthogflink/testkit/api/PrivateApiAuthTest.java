package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every private route checks the personal API key itself: each answers 401 without a key, with the
 * project key (a {@code phc_} key is public) and with a wrong key, and 2xx with the right one, so
 * one handler that forgot its check would show here.
 */
class PrivateApiAuthTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final String JSON = "application/json";

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET|insights/|",
                "POST|insights/|{\"name\":\"n\"}",
                "GET|dashboards/|",
                "POST|dashboards/|{\"name\":\"n\"}",
                "GET|annotations/|",
                "POST|annotations/|{\"content\":\"n\"}",
                "GET|experiments/|",
                "POST|experiments/|{\"name\":\"n\"}",
                "GET|surveys/|",
                "POST|surveys/|{\"name\":\"n\"}",
                "GET|actions/|",
                "POST|actions/|{\"name\":\"n\"}",
                "GET|cohorts/|",
                "POST|cohorts/|{\"name\":\"n\"}",
                "GET|feature_flags/|",
                "POST|feature_flags/|{\"key\":\"auth-check\"}",
                "GET|session_recordings/|",
                "GET|event_definitions/|",
                "GET|property_definitions/|",
                "GET|persons/|",
                "POST|query/|{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"select 1\"}}",
                "GET|/api/users/@me/|",
            })
    void refusesAnythingButThePersonalKey(String method, String route, String body) {
        String path = route.startsWith("/") ? route : http.project(route);
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        TestHttp.Reply none = http.send(method, path, bytes, "Content-Type", JSON);
        TestHttp.Reply projectKey = withBearer(method, path, bytes, posthog.projectApiKey());
        TestHttp.Reply wrongKey = withBearer(method, path, bytes, "phx_not_the_key");
        TestHttp.Reply personalKey = http.api(method, path, body);

        assertThat(none.status()).as("no key").isEqualTo(401);
        assertThat(projectKey.status()).as("the project key").isEqualTo(401);
        assertThat(wrongKey.status()).as("a wrong key").isEqualTo(401);
        assertThat(projectKey.body()).doesNotContain(posthog.projectApiKey());
        assertThat(personalKey.status()).as("the personal key").isBetween(200, 299);
    }

    private TestHttp.Reply withBearer(String method, String path, byte[] body, String key) {
        return http.send(
                method, path, body, "Content-Type", JSON, "Authorization", "Bearer " + key);
    }
}
