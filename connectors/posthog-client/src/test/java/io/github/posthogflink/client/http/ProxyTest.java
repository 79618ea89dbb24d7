package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogProxy;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.testing.ForwardingProxy;
import io.github.posthogflink.client.testing.LogCapture;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests through an HTTP proxy on loopback: configured, bypassed, or the JVM's properties. */
class ProxyTest {
    private static final String OK = "{\"status\":\"Ok\"}";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    @RegisterExtension final LogCapture logs = new LogCapture("io.github.posthogflink");
    private ForwardingProxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new ForwardingProxy();
        server.on("POST", "/i/v0/e/").reply(Reply.json(200, OK));
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    @Test
    void requestsGoThroughTheConfiguredProxyWithItsCredentials() {
        proxy.requireAuthorization(
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        "squid:s3cr3t-proxy-pw".getBytes(StandardCharsets.UTF_8)));
        PostHogProxy settings =
                PostHogProxy.of("127.0.0.1", proxy.port())
                        .withCredentials("squid", "s3cr3t-proxy-pw");

        capture(TestClients.config(server).proxy(settings).build());

        assertThat(server.requests()).hasSize(1);
        assertThat(proxy.seen())
                .singleElement()
                .satisfies(
                        seen ->
                                assertThat(seen.requestLine())
                                        .isEqualTo("POST " + server.url() + "/i/v0/e/ HTTP/1.1"));
        assertThat(settings.toString()).contains("squid").doesNotContain("s3cr3t-proxy-pw");
        assertThat(TestClients.config(server).proxy(settings).build().toString())
                .doesNotContain("s3cr3t-proxy-pw");
        assertThat(String.join("\n", logs.lines())).doesNotContain("s3cr3t-proxy-pw");
    }

    @Test
    void aProxyThatRefusesTheCredentialsFailsTheCall() {
        proxy.requireAuthorization("Basic c29tZW9uZTplbHNl");
        PostHogClientConfig config =
                TestClients.config(server)
                        .retryPolicy(io.github.posthogflink.client.RetryPolicy.NONE)
                        .proxy(
                                PostHogProxy.of("127.0.0.1", proxy.port())
                                        .withCredentials("squid", "wrong-password"))
                        .build();

        assertThatThrownBy(() -> capture(config)).hasMessageNotContaining("wrong-password");
        assertThat(server.requests()).isEmpty();
        assertThat(proxy.seen()).isNotEmpty();
    }

    @Test
    void nonProxyHostsGoDirect() {
        capture(
                TestClients.config(server)
                        .proxy(
                                PostHogProxy.of("127.0.0.1", proxy.port())
                                        .withNonProxyHosts(List.of("localhost", "127.0.0.1")))
                        .build());

        assertThat(server.requests()).hasSize(1);
        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void withoutAProxyTheJvmProxyPropertiesApply() {
        // Java's default ProxySelector never proxies loopback: name a host only the proxy knows.
        PostHogClientConfig config =
                TestClients.config(server)
                        .host("http://posthog.test:" + server.port())
                        .retryPolicy(io.github.posthogflink.client.RetryPolicy.NONE)
                        .build();
        Properties saved = (Properties) System.getProperties().clone();
        try {
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(proxy.port()));

            capture(config);

            assertThat(server.requests()).hasSize(1);
            assertThat(proxy.seen())
                    .singleElement()
                    .satisfies(
                            seen ->
                                    assertThat(seen.requestLine())
                                            .startsWith("POST http://posthog.test:"));

            // Excluded: the client goes direct, where posthog.test does not resolve.
            System.setProperty("http.nonProxyHosts", "*.test");
            assertThatThrownBy(() -> capture(config)).isInstanceOf(RuntimeException.class);
            assertThat(proxy.seen()).hasSize(1);
            assertThat(server.requests()).hasSize(1);
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void withoutAnyProxyRequestsGoDirect() {
        capture(TestClients.config(server).build());

        assertThat(server.requests()).hasSize(1);
        assertThat(proxy.seen()).isEmpty();
    }

    private static void capture(PostHogClientConfig config) {
        try (PostHogClient client = PostHogClient.create(config)) {
            PostHogClient.await(
                    client.capture().capture(PostHogEvent.builder("proxied", "user-1").build()));
        }
    }
}
