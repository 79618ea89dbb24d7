package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureValidationTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private String batch(String... events) {
        return "{\"api_key\":\""
                + posthog.projectApiKey()
                + "\",\"batch\":["
                + String.join(",", events)
                + "]}";
    }

    @Test
    void invalidJsonIsA400InPlainText() {
        TestHttp.Reply reply = http.post("/batch/", "{not json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("text/plain");
    }

    /**
     * PostHog reads the body with serde_json's {@code from_slice}, which refuses anything but
     * whitespace after the root value ("trailing characters"): the whole request is a 400, nothing
     * is stored.
     */
    @Test
    void bytesAfterTheRootValueAreA400AndNothingIsStored() {
        String event = "{\"event\":\"ok\",\"distinct_id\":\"u1\"}";
        String single =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"event\":\"ok\",\"distinct_id\":\"u1\"}";
        for (String body :
                new String[] {
                    batch(event) + "}",
                    batch(event) + "x",
                    batch(event) + " " + batch(event),
                    "[" + single + "]]",
                    single + ",",
                }) {
            String route =
                    body.startsWith("{\"api_key\":\"" + posthog.projectApiKey() + "\",\"batch")
                            ? "/batch/"
                            : "/i/v0/e/";
            TestHttp.Reply reply = http.post(route, body);

            assertThat(reply.status()).as(body).isEqualTo(400);
        }
        assertThat(posthog.events()).isEmpty();

        assertThat(http.post("/batch/", batch(event) + " \n\t\r ").status())
                .as("whitespace after the root value is fine")
                .isEqualTo(200);
        assertThat(posthog.events()).hasSize(1);
    }

    @Test
    void anEmptyBatchIsA400() {
        assertThat(http.post("/batch/", batch()).status()).isEqualTo(400);
        assertThat(http.post("/batch/", "[]").status()).isEqualTo(400);
    }

    @Test
    void anEventWithoutNameIsA400AndFailsTheWholeRequest() {
        TestHttp.Reply reply =
                http.post(
                        "/batch/",
                        batch(
                                "{\"event\":\"ok\",\"distinct_id\":\"u1\"}",
                                "{\"distinct_id\":\"u1\"}"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void anEventWithoutDistinctIdIsA400() {
        assertThat(http.post("/batch/", batch("{\"event\":\"a\"}")).status()).isEqualTo(400);
        assertThat(http.post("/batch/", batch("{\"event\":\"a\",\"distinct_id\":\"\"}")).status())
                .isEqualTo(400);
    }

    @Test
    void distinctIdMayComeFromPropertiesAndOtherTypesBecomeTheirJsonText() {
        assertThat(
                        http.post(
                                        "/batch/",
                                        batch(
                                                "{\"event\":\"a\",\"properties\":{\"distinct_id\":\"from-props\"}}",
                                                "{\"event\":\"b\",\"distinct_id\":12345}",
                                                "{\"event\":\"c\",\"distinct_id\":[1,\"x\"]}"))
                                .status())
                .isEqualTo(200);

        assertThat(posthog.events())
                .extracting(CapturedEvent::distinctId)
                .containsExactly("from-props", "12345", "[1,\"x\"]");
    }

    @Test
    void distinctIdIsCutTo200Characters() {
        String longId = "x".repeat(250);

        http.post("/batch/", batch("{\"event\":\"a\",\"distinct_id\":\"" + longId + "\"}"));

        assertThat(posthog.events().get(0).distinctId()).hasSize(200);
    }

    @Test
    void anInvalidUuidIsA400() {
        assertThat(
                        http.post(
                                        "/batch/",
                                        batch(
                                                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"uuid\":\"not-a-uuid\"}"))
                                .status())
                .isEqualTo(400);
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void aGivenUuidIsKeptAndAnEmptyOneGetsAUuidV7() {
        UUID given = UUID.randomUUID();
        http.post(
                "/batch/",
                batch(
                        "{\"event\":\"a\",\"distinct_id\":\"u1\",\"uuid\":\"" + given + "\"}",
                        "{\"event\":\"b\",\"distinct_id\":\"u1\",\"uuid\":\"\"}",
                        "{\"event\":\"c\",\"distinct_id\":\"u1\"}"));

        assertThat(posthog.events().get(0).uuid()).isEqualTo(given);
        assertThat(posthog.events().get(1).uuid().version()).isEqualTo(7);
        assertThat(posthog.events().get(2).uuid().version()).isEqualTo(7);
    }

    @Test
    void aMissingTokenIsA401() {
        assertThat(http.post("/batch/", "[{\"event\":\"a\",\"distinct_id\":\"u1\"}]").status())
                .isEqualTo(401);
    }

    @Test
    void aWrongTokenIsA401() {
        assertThat(
                        http.post(
                                        "/e/",
                                        "{\"event\":\"a\",\"distinct_id\":\"u1\",\"token\":\"phc_other\"}")
                                .status())
                .isEqualTo(401);
    }

    @Test
    void mixedTokensInAnArrayAreA401() {
        String body =
                "[{\"event\":\"a\",\"distinct_id\":\"u1\",\"token\":\""
                        + posthog.projectApiKey()
                        + "\"},{\"event\":\"a\",\"distinct_id\":\"u1\",\"token\":\"phc_other\"}]";

        assertThat(http.post("/batch/", body).status()).isEqualTo(401);
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void aPersonalApiKeyIsA401() {
        String body =
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"api_key\":\""
                        + posthog.personalApiKey()
                        + "\"}";

        TestHttp.Reply reply = http.post("/e/", body);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain(posthog.personalApiKey());
    }

    @Test
    void singleEventRoutesRefuseMoreThan2MegabytesWith413() {
        String big = "x".repeat(2 * 1024 * 1024);
        String body =
                "{\"event\":\"a\",\"distinct_id\":\"u1\",\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"properties\":{\"big\":\""
                        + big
                        + "\"}}";

        assertThat(http.post("/e/", body).status()).isEqualTo(413);
        // Within /batch/'s 20 MB, but a single event larger than PostHog's Kafka message limit.
        assertThat(http.post("/batch/", body).status()).isEqualTo(413);
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void batchRefusesMoreThan20MegabytesAfterDecompression() {
        byte[] filler = new byte[21 * 1024 * 1024];
        Arrays.fill(filler, (byte) 'x');
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u1\",\"properties\":{\"big\":\""
                        + new String(filler, StandardCharsets.US_ASCII)
                        + "\"}}]}";
        byte[] compressed = TestHttp.gzip(body);

        assertThat(compressed.length).isLessThan(1024 * 1024);
        assertThat(http.postBytes("/batch/", compressed, "Content-Encoding", "gzip").status())
                .isEqualTo(413);
    }
}
