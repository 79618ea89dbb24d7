package io.github.posthogflink.client;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP proxy for a {@link PostHogClient}: plain-HTTP hosts are requested through it in absolute
 * form, HTTPS hosts through a {@code CONNECT} tunnel. Optional Basic credentials (sent
 * preemptively); hosts matching {@link #nonProxyHosts()} ({@code host}, {@code *.suffix} or {@code
 * prefix*}, as the JVM's {@code http.nonProxyHosts}) go direct. {@link #toString()} never shows the
 * password.
 */
public final class PostHogProxy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    @Nullable private final String username;
    @Nullable private final String password;
    private final List<String> nonProxyHosts;

    private PostHogProxy(
            String host,
            int port,
            @Nullable String username,
            @Nullable String password,
            List<String> nonProxyHosts) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("The proxy host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("The proxy port must be in 1..65535");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("A proxy username needs a password, and back");
        }
        this.host = host.trim();
        this.port = port;
        this.username = username;
        this.password = password;
        this.nonProxyHosts = List.copyOf(nonProxyHosts);
    }

    /** A proxy without credentials. */
    public static PostHogProxy of(String host, int port) {
        return new PostHogProxy(host, port, null, null, List.of());
    }

    /** This proxy with Basic credentials. */
    public PostHogProxy withCredentials(String username, String password) {
        return new PostHogProxy(
                host,
                port,
                Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"),
                nonProxyHosts);
    }

    /** This proxy, bypassed for these hosts. */
    public PostHogProxy withNonProxyHosts(List<String> hosts) {
        return new PostHogProxy(host, port, username, password, hosts);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Nullable
    public String username() {
        return username;
    }

    @Nullable
    public String password() {
        return password;
    }

    public List<String> nonProxyHosts() {
        return nonProxyHosts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PostHogProxy)) {
            return false;
        }
        PostHogProxy other = (PostHogProxy) o;
        return host.equals(other.host)
                && port == other.port
                && Objects.equals(username, other.username)
                && Objects.equals(password, other.password)
                && nonProxyHosts.equals(other.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, nonProxyHosts);
    }

    @Override
    public String toString() {
        return host
                + ':'
                + port
                + (username != null ? " user=" + username + " password=****" : "")
                + (nonProxyHosts.isEmpty() ? "" : " nonProxyHosts=" + nonProxyHosts);
    }
}
