package io.github.posthogflink.client;

import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.http.RequestListener;
import io.github.posthogflink.client.http.Secrets;
import io.github.posthogflink.client.testing.LogCapture;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static io.github.posthogflink.client.testing.TestClients.PERSONAL_KEY;
import static io.github.posthogflink.client.testing.TestClients.PROJECT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys never show in logs, exceptions, endpoints or toString, whatever PostHog echoes. */
class SecretsTest {
    private static final String SECURE_KEY = "phs_SECRETsecure789";
    private static final List<String> SECRETS =
            List.of(PROJECT_KEY, PERSONAL_KEY, SECURE_KEY, "SECRET");
    private static final String ECHO = "Key " + PROJECT_KEY + " / " + PERSONAL_KEY + " rejected";

    @RegisterExtension final RecordingServer server = new RecordingServer();

    /**
     * Our own loggers at every level. (AsyncHttpClient's own DEBUG logs show request URLs and
     * headers, keys included; that is the library's behaviour, not ours.)
     */
    @RegisterExtension final LogCapture logs = new LogCapture("io.github.posthogflink");

    private final List<String> listened = new CopyOnWriteArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build(), recordingListener());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private RequestListener recordingListener() {
        return new RequestListener() {
            @Override
            public void onResponse(String endpoint, int status, long nanos) {
                listened.add(endpoint);
            }

            @Override
            public void onRetry(String endpoint, int attempt, String cause) {
                listened.add(endpoint + " " + cause);
            }
        };
    }

    /** Runs a failing call and keeps everything its exception shows. */
    private PostHogException fail(CompletableFuture<?> call) {
        try {
            PostHogClient.await(call);
        } catch (PostHogException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            reports.add(e.getMessage());
            reports.add(e.toString());
            reports.add(String.valueOf(e.detail()));
            reports.add(e.endpoint());
            reports.add(trace.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                reports.add(c.toString());
            }
            return e;
        }
        throw new AssertionError("Expected a PostHogException");
    }

    private void assertNoSecretAnywhere() {
        List<String> everything = new ArrayList<>(reports);
        everything.addAll(logs.lines());
        everything.addAll(listened);
        for (String text : everything) {
            for (String secret : SECRETS) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    @Test
    void a401OnAPrivateEndpoint() {
        server.on("GET", "/api/projects/42/feature_flags/")
                .reply(
                        Reply.error(
                                401,
                                "authentication_error",
                                "authentication_failed",
                                "Personal API key found in request Authorization header is invalid:"
                                        + " "
                                        + PERSONAL_KEY,
                                null));

        PostHogException e = fail(client.featureFlags().list(ListParams.create()));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).contains("phx_***");
        assertNoSecretAnywhere();
    }

    @Test
    void a400WhoseDetailEchoesTheKeysOnCaptureFlagsAndQuery() {
        server.on("POST", "/batch/").reply(Reply.text(400, ECHO));
        server.on("POST", "/flags/")
                .reply(Reply.error(400, "validation_error", "invalid", ECHO, "api_key"));
        server.on("POST", "/api/projects/42/query/")
                .reply(Reply.error(400, "validation_error", "invalid_input", ECHO, "query"));

        fail(client.capture().batch(List.of(PostHogEvent.builder("e", "d").build())));
        fail(client.flags().evaluate(FlagsRequest.of("d")));
        PostHogException e = fail(client.query().hogql("SELECT '" + PERSONAL_KEY + "'"));

        assertThat(e.detail()).isEqualTo("Key phc_*** / phx_*** rejected");
        assertNoSecretAnywhere();
    }

    @Test
    void retriedFailuresThatEchoTheKeysAreLoggedWithoutThem() {
        server.on("GET", "/flags/definitions")
                .reply(Reply.error(503, "server_error", "unavailable", ECHO, null));
        server.on("POST", "/batch/").reply(Reply.text(503, ECHO));

        PostHogException definitions = fail(client.flags().definitions(null));
        fail(client.capture().batch(List.of(PostHogEvent.builder("e", "d").build())));

        assertThat(definitions.endpoint()).isEqualTo("GET /flags/definitions");
        assertThat(logs.linesOf("io.github.posthogflink"))
                .filteredOn(l -> l.startsWith("WARN") && l.contains("Retrying"))
                .hasSize(6);
        assertNoSecretAnywhere();
    }

    @Test
    void transportErrorsOnTheDefinitionsCallDoNotShowTheTokenParameter() throws IOException {
        server.on("GET", "/flags/definitions").reply(Reply.drop());
        fail(client.flags().definitions(null));

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (PostHogClient refused =
                PostHogClient.create(
                        TestClients.config(server)
                                .host("http://127.0.0.1:" + closed)
                                .flagsSecureKey(SECURE_KEY)
                                .build(),
                        recordingListener())) {
            PostHogException e = fail(refused.flags().definitions("\"etag\""));
            assertThat(e.status()).isZero();
            assertThat(e.endpoint()).isEqualTo("GET /flags/definitions").doesNotContain("token");
        }
        assertThat(logs.linesOf("io.github.posthogflink")).isNotEmpty();
        assertNoSecretAnywhere();
    }

    @Test
    void aTimeoutDoesNotShowTheKeys() {
        server.on("GET", "/flags/definitions")
                .reply(Reply.json(200, "{}").after(Duration.ofMillis(600)));
        try (PostHogClient slow =
                PostHogClient.create(
                        TestClients.config(server)
                                .requestTimeout(Duration.ofMillis(150))
                                .retryPolicy(TestClients.FAST_RETRIES.withMaxRetries(1))
                                .build(),
                        recordingListener())) {
            PostHogException e = fail(slow.flags().definitions(null));
            assertThat(e.code()).isEqualTo("timeout");
        }
        assertNoSecretAnywhere();
    }

    @Test
    void aSuccessBodyThatIsNotJsonFailsAsPostHogExceptionWithoutEchoingIt() {
        server.on("POST", "/flags/").reply(Reply.text(200, PROJECT_KEY + " is not allowed here"));
        server.on("GET", "/api/projects/42/feature_flags/1/")
                .reply(Reply.text(200, "<html>Welcome " + PERSONAL_KEY + "</html>"));

        PostHogException flags = fail(client.flags().evaluate(FlagsRequest.of("d")));
        PostHogException flag = fail(client.featureFlags().get(1));

        for (PostHogException e : List.of(flags, flag)) {
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.code()).isEqualTo("invalid_response");
            assertThat(e.isRetryable()).isFalse();
        }
        assertThat(flags.endpoint()).isEqualTo("POST /flags/");
        assertNoSecretAnywhere();
    }

    @Test
    void aTokenLikeValueInAnyTextIsRedacted() {
        Function<String, String> redact = Secrets::redact;
        assertThat(redact.apply("token=phc_AbC-123_x&x=1")).isEqualTo("token=phc_***&x=1");
        assertThat(redact.apply("{\"api_key\":\"phx_abc\"}"))
                .isEqualTo("{\"api_key\":\"phx_***\"}");
        assertThat(redact.apply("Bearer phs_abc")).isEqualTo("Bearer phs_***");
        assertThat(redact.apply("no keys here")).isEqualTo("no keys here");
        assertThat(redact.apply(null)).isNull();
        assertThat(Secrets.mask(PROJECT_KEY)).isEqualTo("phc_***");
        assertThat(Secrets.mask("nounderscore")).isEqualTo("***");
        assertThat(Secrets.mask(null)).isEqualTo("<unset>");
    }

    @Test
    void configToStringHidesEveryKey() {
        PostHogClientConfig config = TestClients.config(server).flagsSecureKey(SECURE_KEY).build();

        assertThat(config.toString())
                .contains(
                        "projectApiKey=phc_***",
                        "personalApiKey=phx_***",
                        "flagsSecureKey=phs_***");
        reports.add(config.toString());
        reports.add(client.config().toString());
        assertNoSecretAnywhere();
    }
}
