package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a testkit reachable by others must not do: listen beyond loopback unless asked, show keys to
 * whoever asks the inspection API, or take bodies and requests without bound.
 */
class SafetyTest {
    private static final String PROJECT_KEY = "project-key-without-prefix";
    private static final String PERSONAL_KEY = "phx_personal_secret_value";

    @Test
    void listensOnLoopbackOnlyUnlessAskedForEveryInterface() throws Exception {
        try (PostHogServer loopback = PostHogServer.builder().build().start();
                PostHogServer everywhere =
                        PostHogServer.builder().host("0.0.0.0").build().start()) {
            assertThat(loopback.baseUrl()).startsWith("http://127.0.0.1:");
            // 127.0.0.2 is another local address: reachable only when every interface is bound.
            assertThatThrownBy(() -> connect("127.0.0.2", loopback.port()))
                    .isInstanceOf(IOException.class);
            connect("127.0.0.2", everywhere.port());
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        }
    }

    @Test
    void theInspectionApiHidesKeysInHeadersQueriesBodiesAndEvents() {
        try (PostHogTestServer posthog =
                PostHogTestServer.builder()
                        .projectApiKey(PROJECT_KEY)
                        .personalApiKey(PERSONAL_KEY)
                        .build()
                        .start()) {
            TestHttp http = new TestHttp(posthog);
            String body =
                    "{\"api_key\":\""
                            + PROJECT_KEY
                            + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u\","
                            + "\"properties\":{\"token\":\""
                            + PROJECT_KEY
                            + "\",\"$token\":\""
                            + PROJECT_KEY
                            + "\",\"note\":\"pasted phx_someone_elses_key here\"}}]}";
            assertThat(http.postBytes("/batch/?token=" + PROJECT_KEY, TestHttp.gzip(body)).status())
                    .isEqualTo(200);
            assertThat(http.api("GET", http.project("persons/"), null).status()).isEqualTo(200);
            assertThat(
                            http.get(
                                            "/flags/definitions?token=" + PROJECT_KEY,
                                            "Authorization",
                                            "Bearer " + PERSONAL_KEY)
                                    .status())
                    .isEqualTo(200);

            String requests = http.get("/_testkit/requests").body();
            String events = http.get("/_testkit/events").body();

            for (String shown : new String[] {requests, events}) {
                assertThat(shown)
                        .doesNotContain(PROJECT_KEY, PERSONAL_KEY, "phx_someone_elses_key");
            }
            assertThat(requests)
                    .contains("Bearer phx_***", "token=***", "\\\"api_key\\\":\\\"***\\\"");
            assertThat(events).contains("\"note\":\"pasted phx_*** here\"");
            // In-process tests still see what was sent.
            assertThat(posthog.requests())
                    .map(r -> r.header("authorization"))
                    .contains("Bearer " + PERSONAL_KEY);
        }
    }

    @Test
    void aBodyOverTheCapGets413AndNothingIsStored() {
        try (PostHogTestServer posthog =
                PostHogTestServer.builder().maxRequestBodyBytes(64 * 1024).build().start()) {
            TestHttp http = new TestHttp(posthog);
            byte[] large = new byte[100 * 1024];
            new Random(7).nextBytes(large);

            TestHttp.Reply reply = http.postBytes("/batch/", large, "Content-Encoding", "gzip");

            assertThat(reply.status()).isEqualTo(413);
            assertThat(posthog.events()).isEmpty();
            assertThat(posthog.counters()).containsEntry("transport.status.413", 1L);
            assertThat(
                            http.post(
                                            "/i/v0/e/",
                                            "{\"api_key\":\""
                                                    + posthog.projectApiKey()
                                                    + "\",\"event\":\"a\",\"distinct_id\":\"u\"}")
                                    .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void theDefaultCapIsCapturesLargestBatch() {
        try (PostHogTestServer posthog = PostHogTestServer.builder().build().start()) {
            byte[] large = new byte[20 * 1024 * 1024 + 1];

            assertThat(new TestHttp(posthog).postBytes("/batch/", large).status()).isEqualTo(413);
        }
    }

    @Test
    void aGzipBodyThatInflatesOverTheDecodedCapIs413() {
        try (PostHogTestServer posthog = PostHogTestServer.builder().build().start()) {
            TestHttp http = new TestHttp(posthog);
            byte[] event = new byte[3 * 1024 * 1024];
            java.util.Arrays.fill(event, (byte) ' ');
            byte[] batch = new byte[21 * 1024 * 1024];
            java.util.Arrays.fill(batch, (byte) ' ');

            assertThat(http.postBytes("/i/v0/e/", TestHttp.gzip(event)).status()).isEqualTo(413);
            assertThat(http.postBytes("/batch/", TestHttp.gzip(batch)).status()).isEqualTo(413);
            assertThat(posthog.events()).isEmpty();
        }
    }

    @Test
    void theJournalIsBoundedByBytesNewestKept() {
        try (PostHogTestServer posthog =
                PostHogTestServer.builder().journalMaxBytes(1024 * 1024).build().start()) {
            TestHttp http = new TestHttp(posthog);
            String padding = "x".repeat(100 * 1024);
            for (int i = 0; i < 20; i++) {
                http.post(
                        "/i/v0/e/",
                        "{\"api_key\":\""
                                + posthog.projectApiKey()
                                + "\",\"event\":\"e"
                                + i
                                + "\",\"distinct_id\":\"u\",\"properties\":{\"pad\":\""
                                + padding
                                + "\"}}");
            }

            assertThat(posthog.requests()).hasSizeBetween(5, 10);
            assertThat(posthog.requests())
                    .last()
                    .extracting(RecordedRequest::bodyText)
                    .asString()
                    .contains("\"event\":\"e19\"");
            assertThat(posthog.counters()).containsEntry("requests", 20L);
            assertThat(posthog.events()).hasSize(20);
        }
    }
}
