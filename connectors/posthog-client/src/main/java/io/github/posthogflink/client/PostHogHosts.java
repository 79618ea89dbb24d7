package io.github.posthogflink.client;

import java.net.URI;
import java.util.Locale;

/** PostHog's cloud hosts, and how the private API host follows from an ingestion host. */
public final class PostHogHosts {
    public static final String US_INGESTION = "https://us.i.posthog.com";
    public static final String US_API = "https://us.posthog.com";
    public static final String EU_INGESTION = "https://eu.i.posthog.com";
    public static final String EU_API = "https://eu.posthog.com";

    private PostHogHosts() {}

    /**
     * The private API host for an ingestion host: {@code us.i.posthog.com} → {@code
     * us.posthog.com}, {@code eu.i.posthog.com} → {@code eu.posthog.com}; a self-hosted or local
     * host serves both.
     */
    public static String apiHostFor(String ingestionHost) {
        String normalized = normalize(ingestionHost);
        URI uri = URI.create(normalized);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("us.i.posthog.com") || host.equals("app.posthog.com")) {
            return US_API;
        }
        if (host.equals("eu.i.posthog.com")) {
            return EU_API;
        }
        return normalized;
    }

    /**
     * Validates a host URL and strips its trailing slash. A bare host name gets {@code https://}.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL with a host
     */
    public static String normalize(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PostHog host must not be empty");
        }
        String candidate = host.trim();
        if (!candidate.contains("://")) {
            candidate = "https://" + candidate;
        }
        URI uri;
        try {
            uri = URI.create(candidate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid PostHog host: " + host, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "Invalid PostHog host (expected http(s)://host[:port]): " + host);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("PostHog host must not have a query: " + host);
        }
        while (candidate.endsWith("/")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        return candidate;
    }
}
