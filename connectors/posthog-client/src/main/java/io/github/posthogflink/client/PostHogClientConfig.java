package io.github.posthogflink.client;

import io.github.posthogflink.client.http.Secrets;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link PostHogClient} needs. Serializable, so Flink can ship it to TaskManagers;
 * {@link #toString()} never shows keys.
 */
public final class PostHogClientConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String apiHost;

    /** The API host as given, or null when derived: toBuilder() with a new host derives again. */
    @Nullable private final String explicitApiHost;

    @Nullable private final String projectApiKey;
    @Nullable private final String personalApiKey;
    @Nullable private final String flagsSecureKey;
    @Nullable private final String projectId;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxConnections;
    private final int maxQueuedRequests;
    private final int ioThreads;
    private final String userAgent;
    private final RetryPolicy retryPolicy;
    private final RateLimitPolicy rateLimitPolicy;
    private final boolean gzip;
    @Nullable private final PostHogCredentials credentials;
    @Nullable private final PostHogProxy proxy;

    private PostHogClientConfig(Builder b) {
        this.host = PostHogHosts.normalize(b.host);
        this.explicitApiHost = b.apiHost != null ? PostHogHosts.normalize(b.apiHost) : null;
        this.apiHost =
                explicitApiHost != null ? explicitApiHost : PostHogHosts.apiHostFor(this.host);
        this.projectApiKey = emptyToNull(b.projectApiKey);
        this.personalApiKey = emptyToNull(b.personalApiKey);
        this.flagsSecureKey = emptyToNull(b.flagsSecureKey);
        this.projectId = emptyToNull(b.projectId);
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.requestTimeout = positive(b.requestTimeout, "requestTimeout");
        if (b.maxConnections < 1 || b.ioThreads < 1) {
            throw new IllegalArgumentException("maxConnections and ioThreads must be >= 1");
        }
        this.maxConnections = b.maxConnections;
        if (b.maxQueuedRequests < 0) {
            throw new IllegalArgumentException("maxQueuedRequests must be >= 0");
        }
        this.maxQueuedRequests = b.maxQueuedRequests;
        this.ioThreads = b.ioThreads;
        this.userAgent = Objects.requireNonNull(b.userAgent, "userAgent");
        this.retryPolicy = Objects.requireNonNull(b.retryPolicy, "retryPolicy");
        this.rateLimitPolicy = Objects.requireNonNull(b.rateLimitPolicy, "rateLimitPolicy");
        this.gzip = b.gzip;
        this.credentials = b.credentials;
        this.proxy = b.proxy;
        if (projectApiKey != null && projectApiKey.startsWith("phx_")) {
            throw new IllegalArgumentException(
                    "The project API key must be a project key (phc_...), not a personal key");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the keys of the environment variables {@code POSTHOG_PROJECT_API_KEY}, {@code
     * POSTHOG_PERSONAL_API_KEY} and {@code POSTHOG_FLAGS_SECURE_API_KEY}, read now, and the host of
     * {@code POSTHOG_HOST} when set. In a Flink job, prefer {@link
     * Builder#credentials(PostHogCredentials)}, which reads them on the TaskManager.
     */
    public static Builder fromEnv() {
        Builder builder = builder().credentials(PostHogCredentials.fromEnvironment());
        String host = System.getenv("POSTHOG_HOST");
        if (host != null && !host.isBlank()) {
            builder.host(host.trim());
        }
        return builder.build().resolveCredentials().toBuilder();
    }

    /**
     * A builder with the keys of a credentials file, read now ({@link
     * PostHogCredentials#fromFile}).
     */
    public static Builder fromFile(String path) {
        return builder()
                .credentials(PostHogCredentials.fromFile(path))
                .build()
                .resolveCredentials()
                .toBuilder();
    }

    /**
     * This configuration with the keys of its {@link #credentials()} read (a key given inline
     * stays), or itself when it has none. {@link PostHogClient#create} calls it.
     *
     * @param required keys that must be there; a missing one fails naming where it was looked for
     * @throws IllegalStateException when a required key is missing or the file cannot be read
     */
    public PostHogClientConfig resolveCredentials(PostHogCredentials.Key... required) {
        return CredentialResolution.resolve(this, required);
    }

    /** Whether {@code key} is given inline or may come from {@link #credentials()}. */
    public boolean mayHave(PostHogCredentials.Key key) {
        return CredentialResolution.mayHave(this, key);
    }

    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .apiHost(explicitApiHost)
                .projectApiKey(projectApiKey)
                .personalApiKey(personalApiKey)
                .flagsSecureKey(flagsSecureKey)
                .projectId(projectId)
                .connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout)
                .maxConnections(maxConnections)
                .maxQueuedRequests(maxQueuedRequests)
                .ioThreads(ioThreads)
                .userAgent(userAgent)
                .retryPolicy(retryPolicy)
                .rateLimitPolicy(rateLimitPolicy)
                .gzip(gzip)
                .credentials(credentials)
                .proxy(proxy);
    }

    /** The ingestion host: capture, batch, flags. */
    public String host() {
        return host;
    }

    /** The private API host. */
    public String apiHost() {
        return apiHost;
    }

    @Nullable
    public String projectApiKey() {
        return projectApiKey;
    }

    @Nullable
    public String personalApiKey() {
        return personalApiKey;
    }

    /** The feature-flags secure key ({@code phs_...}), if set. */
    @Nullable
    public String flagsSecureKey() {
        return flagsSecureKey;
    }

    @Nullable
    public String projectId() {
        return projectId;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Requests that may wait for a connection; one more fails at once. */
    public int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public String userAgent() {
        return userAgent;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public RateLimitPolicy rateLimitPolicy() {
        return rateLimitPolicy;
    }

    public boolean gzip() {
        return gzip;
    }

    /** Where keys not given inline are read when the client is created, if anywhere. */
    @Nullable
    public PostHogCredentials credentials() {
        return credentials;
    }

    /**
     * The HTTP proxy, or null: then the JVM's {@code http(s).proxyHost}, {@code http(s).proxyPort}
     * and {@code http.nonProxyHosts} apply when set.
     */
    @Nullable
    public PostHogProxy proxy() {
        return proxy;
    }

    @Override
    public String toString() {
        return "PostHogClientConfig{host="
                + host
                + ", apiHost="
                + apiHost
                + ", projectApiKey="
                + Secrets.mask(projectApiKey)
                + ", personalApiKey="
                + Secrets.mask(personalApiKey)
                + ", flagsSecureKey="
                + Secrets.mask(flagsSecureKey)
                + ", projectId="
                + projectId
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", maxConnections="
                + maxConnections
                + ", maxQueuedRequests="
                + maxQueuedRequests
                + ", ioThreads="
                + ioThreads
                + ", userAgent="
                + userAgent
                + ", retryPolicy="
                + retryPolicy
                + ", rateLimitPolicy="
                + rateLimitPolicy
                + ", gzip="
                + gzip
                + ", credentials="
                + credentials
                + ", proxy="
                + proxy
                + '}';
    }

    @Nullable
    private static String emptyToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return d;
    }

    /** Builds a {@link PostHogClientConfig}. Only the host is required. */
    public static final class Builder {
        private String host = PostHogHosts.US_INGESTION;
        @Nullable private String apiHost;
        @Nullable private String projectApiKey;
        @Nullable private String personalApiKey;
        @Nullable private String flagsSecureKey;
        @Nullable private String projectId;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxConnections = 64;
        private int maxQueuedRequests = 10_000;
        private int ioThreads = 1;
        private String userAgent = "posthog-flink/" + PostHogClientVersion.VERSION;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private RateLimitPolicy rateLimitPolicy = RateLimitPolicy.postHogDefaults();
        private boolean gzip = true;
        @Nullable private PostHogCredentials credentials;
        @Nullable private PostHogProxy proxy;

        private Builder() {}

        /** The ingestion host, e.g. {@code https://eu.i.posthog.com}. Default: US cloud. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The private API host. Default: derived from {@link #host(String)}. */
        public Builder apiHost(@Nullable String apiHost) {
            this.apiHost = apiHost;
            return this;
        }

        /** The project API key ({@code phc_...}), for capture and flags. */
        public Builder projectApiKey(@Nullable String key) {
            this.projectApiKey = key;
            return this;
        }

        /** A personal API key ({@code phx_...}), for the private API. */
        public Builder personalApiKey(@Nullable String key) {
            this.personalApiKey = key;
            return this;
        }

        /**
         * The feature-flags secure key ({@code phs_...}): authorizes local-evaluation definitions
         * without a personal key. Takes precedence over the personal key there.
         */
        public Builder flagsSecureKey(@Nullable String key) {
            this.flagsSecureKey = key;
            return this;
        }

        public Builder projectId(@Nullable String projectId) {
            this.projectId = projectId;
            return this;
        }

        public Builder projectId(long projectId) {
            return projectId(Long.toString(projectId));
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Requests in flight at once (and so, about, pooled keep-alive connections), across hosts.
         * Further calls wait for one to finish.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Requests that may wait for one of the {@link #maxConnections(int)} (default 10,000); one
         * more fails at once (a retryable transport error), so a stalled PostHog cannot grow the
         * queue without bound. Calls whose caller gave up never wait here.
         */
        public Builder maxQueuedRequests(int maxQueuedRequests) {
            this.maxQueuedRequests = maxQueuedRequests;
            return this;
        }

        /** Threads of the client's single event loop group. */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public Builder rateLimitPolicy(RateLimitPolicy rateLimitPolicy) {
            this.rateLimitPolicy = rateLimitPolicy;
            return this;
        }

        /** Gzip request bodies of capture calls. Default: on. */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /**
         * Reads the keys not given inline from environment variables or a file when the client is
         * created (on the TaskManager in a Flink job). Default: none, keys inline only.
         */
        public Builder credentials(@Nullable PostHogCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * Sends every request through this HTTP proxy (hosts it excludes go direct). Default: the
         * JVM's proxy properties when set, else direct.
         */
        public Builder proxy(@Nullable PostHogProxy proxy) {
            this.proxy = proxy;
            return this;
        }

        public PostHogClientConfig build() {
            return new PostHogClientConfig(this);
        }
    }
}
