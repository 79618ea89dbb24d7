package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureRoutesTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private String event(String name, String distinctId) {
        return "{\"event\":\""
                + name
                + "\",\"distinct_id\":\""
                + distinctId
                + "\",\"api_key\":\""
                + posthog.projectApiKey()
                + "\",\"properties\":{\"plan\":\"pro\"}}";
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/i/v0/e/",
                "/i/v0/e",
                "/e/",
                "/e",
                "/capture/",
                "/capture",
                "/track/",
                "/track",
                "/engage/",
                "/engage",
                "/batch/",
                "/batch"
            })
    void everyCaptureRouteAcceptsASingleEvent(String route) {
        TestHttp.Reply reply = http.post(route, event("signed_up", "u1"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("Ok");
        assertThat(posthog.events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.event()).isEqualTo("signed_up");
                            assertThat(e.distinctId()).isEqualTo("u1");
                            assertThat(e.property("plan")).isEqualTo("pro");
                        });
    }

    @Test
    void acceptsABareArrayWithTokensInEachEvent() {
        String body = "[" + event("a", "u1") + "," + event("b", "u2") + "]";

        assertThat(http.post("/batch/", body).status()).isEqualTo(200);
        assertThat(posthog.events()).extracting(CapturedEvent::event).containsExactly("a", "b");
    }

    @Test
    void acceptsABatchEnvelopeWithApiKeyOrToken() {
        String withApiKey =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\"}]}";
        String withToken =
                "{\"token\":\""
                        + posthog.projectApiKey()
                        + "\",\"historical_migration\":true,\"batch\":[{\"event\":\"b\",\"distinct_id\":\"u1\"}]}";

        assertThat(http.post("/batch/", withApiKey).status()).isEqualTo(200);
        assertThat(http.post("/batch/", withToken).status()).isEqualTo(200);
        assertThat(posthog.events())
                .extracting(CapturedEvent::historicalMigration)
                .containsExactly(false, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "$token", "api_key"})
    void singleEventTakesTheTokenUnderAnyOfItsNames(String field) {
        String body =
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\""
                        + field
                        + "\":\""
                        + posthog.projectApiKey()
                        + "\"}";

        assertThat(http.post("/i/v0/e/", body).status()).isEqualTo(200);
    }

    @Test
    void singleEventTakesTheTokenFromItsProperties() {
        String body =
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"properties\":{\"token\":\""
                        + posthog.projectApiKey()
                        + "\"}}";

        assertThat(http.post("/e/", body).status()).isEqualTo(200);
    }

    @Test
    void gzipIsDetectedByItsMagicBytesWithoutAHeader() {
        assertThat(http.postBytes("/batch/", TestHttp.gzip("[" + event("a", "u1") + "]")).status())
                .isEqualTo(200);
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void gzipIsAcceptedWithContentEncodingOrCompressionParameter() {
        byte[] body = TestHttp.gzip("[" + event("a", "u1") + "]");

        assertThat(http.postBytes("/batch/", body, "Content-Encoding", "gzip").status())
                .isEqualTo(200);
        assertThat(http.postBytes("/batch/?compression=gzip-js", body).status()).isEqualTo(200);
        assertThat(http.postBytes("/e/?compression=gzip", body).status()).isEqualTo(200);
        assertThat(posthog.events()).hasSize(3);
    }

    @Test
    void acceptsLegacyFormEncodedBase64Data() {
        String data =
                Base64.getEncoder()
                        .encodeToString(event("a", "u1").getBytes(StandardCharsets.UTF_8));
        String form = "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8);

        TestHttp.Reply reply =
                http.post("/e/", form, "Content-Type", "application/x-www-form-urlencoded");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void getOnACaptureRouteIsNotAllowed() {
        assertThat(http.get("/batch/").status()).isEqualTo(405);
    }
}
