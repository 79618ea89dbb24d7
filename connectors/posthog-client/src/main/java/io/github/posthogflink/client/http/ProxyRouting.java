package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogProxy;

import org.asynchttpclient.DefaultAsyncHttpClientConfig;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.proxy.ProxyServer;

import javax.annotation.Nullable;

/**
 * How the client's HTTP requests reach PostHog: a configured proxy, or the JVM's proxy settings.
 */
final class ProxyRouting {

    private ProxyRouting() {}

    /**
     * Routes through {@code proxy} when given. Otherwise through the JVM's {@link
     * java.net.ProxySelector}, which honours {@code http.proxyHost}/{@code http.proxyPort}, {@code
     * https.proxyHost}/{@code https.proxyPort} and {@code http.nonProxyHosts} (read per request),
     * and goes direct when none is set.
     */
    static void apply(DefaultAsyncHttpClientConfig.Builder ahc, @Nullable PostHogProxy proxy) {
        if (proxy == null) {
            ahc.setUseProxySelector(true);
            return;
        }
        ProxyServer.Builder server =
                Dsl.proxyServer(proxy.host(), proxy.port())
                        .setSecuredPort(proxy.port())
                        .setNonProxyHosts(proxy.nonProxyHosts());
        if (proxy.username() != null) {
            server.setRealm(
                    Dsl.basicAuthRealm(proxy.username(), proxy.password())
                            .setUsePreemptiveAuth(true));
        }
        ahc.setProxyServer(server.build());
    }
}
