package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link FeatureFlagEnricher} and {@link FeatureFlagResultEnricher} evaluate flags.
 * Serializable; {@link #toString()} never shows keys. See {@code docs/flags-enrichment.md}.
 */
@PublicEvolving
public final class FlagEnrichmentOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PostHogClientConfig client;
    @Nullable private final List<String> flagKeys;
    private final EvaluationMode mode;
    private final boolean onlyEvaluateLocally;
    private final Duration pollInterval;
    private final Duration definitionsWaitTimeout;
    private final Duration remoteCacheTtl;
    private final long remoteCacheMaxSize;
    private final Duration remoteTimeout;
    @Nullable private final Integer remoteMaxRetries;
    private final FlagFailurePolicy failurePolicy;
    private final List<String> personPropertyKeys;
    private final boolean personPropertiesFromSet;
    private final Map<String, List<String>> groupPropertyKeys;
    private final boolean overwriteExistingProperties;

    private FlagEnrichmentOptions(Builder b) {
        this.client = Objects.requireNonNull(b.client, "client config is required");
        if (!client.mayHave(PostHogCredentials.Key.PROJECT_API_KEY)) {
            throw new IllegalArgumentException("Flag enrichment needs a project API key (phc_...)");
        }
        this.flagKeys = b.flagKeys == null ? null : List.copyOf(b.flagKeys);
        this.mode = Objects.requireNonNull(b.mode, "mode");
        if (mode == EvaluationMode.LOCAL
                && !client.mayHave(PostHogCredentials.Key.PERSONAL_API_KEY)
                && !client.mayHave(PostHogCredentials.Key.FLAGS_SECURE_API_KEY)) {
            throw new IllegalArgumentException(
                    "Local evaluation needs a personal API key or a feature-flags secure key");
        }
        this.onlyEvaluateLocally = b.onlyEvaluateLocally;
        this.pollInterval = positive(b.pollInterval, "pollInterval");
        this.definitionsWaitTimeout = nonNegative(b.definitionsWaitTimeout, "definitionsWait");
        this.remoteCacheTtl = nonNegative(b.remoteCacheTtl, "remoteCacheTtl");
        if (b.remoteCacheMaxSize < 0) {
            throw new IllegalArgumentException("remoteCacheMaxSize must be >= 0");
        }
        this.remoteCacheMaxSize = b.remoteCacheMaxSize;
        this.remoteTimeout = positive(b.remoteTimeout, "remoteTimeout");
        if (b.remoteMaxRetries != null && b.remoteMaxRetries < 0) {
            throw new IllegalArgumentException("remoteMaxRetries must be >= 0");
        }
        this.remoteMaxRetries = b.remoteMaxRetries;
        this.failurePolicy = Objects.requireNonNull(b.failurePolicy, "failurePolicy");
        this.personPropertyKeys = List.copyOf(b.personPropertyKeys);
        this.personPropertiesFromSet = b.personPropertiesFromSet;
        Map<String, List<String>> groups = new LinkedHashMap<>();
        b.groupPropertyKeys.forEach((type, keys) -> groups.put(type, List.copyOf(keys)));
        this.groupPropertyKeys = Map.copyOf(groups);
        this.overwriteExistingProperties = b.overwriteExistingProperties;
    }

    public static Builder builder(PostHogClientConfig client) {
        return new Builder(client);
    }

    public PostHogClientConfig client() {
        return client;
    }

    /**
     * The flags to evaluate; null means every flag (of the definitions, or that /flags returns).
     */
    @Nullable
    public List<String> flagKeys() {
        return flagKeys;
    }

    public EvaluationMode mode() {
        return mode;
    }

    public boolean onlyEvaluateLocally() {
        return onlyEvaluateLocally;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration definitionsWaitTimeout() {
        return definitionsWaitTimeout;
    }

    public Duration remoteCacheTtl() {
        return remoteCacheTtl;
    }

    public long remoteCacheMaxSize() {
        return remoteCacheMaxSize;
    }

    public Duration remoteTimeout() {
        return remoteTimeout;
    }

    /** Retries of one {@code /flags} call; null keeps the client config's retry policy. */
    @Nullable
    public Integer remoteMaxRetries() {
        return remoteMaxRetries;
    }

    public FlagFailurePolicy failurePolicy() {
        return failurePolicy;
    }

    public List<String> personPropertyKeys() {
        return personPropertyKeys;
    }

    public boolean personPropertiesFromSet() {
        return personPropertiesFromSet;
    }

    public Map<String, List<String>> groupPropertyKeys() {
        return groupPropertyKeys;
    }

    public boolean overwriteExistingProperties() {
        return overwriteExistingProperties;
    }

    @Override
    public String toString() {
        return "FlagEnrichmentOptions{client="
                + client
                + ", flagKeys="
                + flagKeys
                + ", mode="
                + mode
                + ", onlyEvaluateLocally="
                + onlyEvaluateLocally
                + ", pollInterval="
                + pollInterval
                + ", remoteCacheTtl="
                + remoteCacheTtl
                + ", remoteCacheMaxSize="
                + remoteCacheMaxSize
                + ", remoteTimeout="
                + remoteTimeout
                + ", failurePolicy="
                + failurePolicy
                + '}';
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return d;
    }

    private static Duration nonNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0");
        }
        return d;
    }

    /** Builds {@link FlagEnrichmentOptions}; only the client config is required. */
    public static final class Builder {
        private final PostHogClientConfig client;
        @Nullable private List<String> flagKeys;
        private EvaluationMode mode = EvaluationMode.LOCAL;
        private boolean onlyEvaluateLocally;
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration definitionsWaitTimeout = Duration.ofSeconds(10);
        private Duration remoteCacheTtl = Duration.ofSeconds(60);
        private long remoteCacheMaxSize = 10_000;
        private Duration remoteTimeout = Duration.ofSeconds(10);
        @Nullable private Integer remoteMaxRetries = 2;
        private FlagFailurePolicy failurePolicy = FlagFailurePolicy.EMIT_WITHOUT_FLAGS;
        private final List<String> personPropertyKeys = new ArrayList<>();
        private boolean personPropertiesFromSet = true;
        private final Map<String, List<String>> groupPropertyKeys = new LinkedHashMap<>();
        private boolean overwriteExistingProperties;

        private Builder(PostHogClientConfig client) {
            this.client = client;
        }

        /** Evaluate only these flags. Default: all flags. */
        public Builder flagKeys(String... keys) {
            return flagKeys(Arrays.asList(keys));
        }

        public Builder flagKeys(@Nullable Collection<String> keys) {
            this.flagKeys = keys == null ? null : new ArrayList<>(keys);
            return this;
        }

        /** Local (default) or remote evaluation. */
        public Builder mode(EvaluationMode mode) {
            this.mode = mode;
            return this;
        }

        /** Never call {@code /flags}: flags local evaluation cannot decide are left out. */
        public Builder onlyEvaluateLocally(boolean only) {
            this.onlyEvaluateLocally = only;
            return this;
        }

        /** How often definitions are polled (default 30 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** How long events wait for the first definitions before going remote (default 10 s). */
        public Builder definitionsWaitTimeout(Duration timeout) {
            this.definitionsWaitTimeout = timeout;
            return this;
        }

        /** How long a {@code /flags} answer is reused (default 60 s; zero disables the cache). */
        public Builder remoteCacheTtl(Duration ttl) {
            this.remoteCacheTtl = ttl;
            return this;
        }

        /** Entries in the {@code /flags} cache of each subtask (default 10,000). */
        public Builder remoteCacheMaxSize(long size) {
            this.remoteCacheMaxSize = size;
            return this;
        }

        /** Time budget of one remote lookup, retries included (default 10 s). */
        public Builder remoteTimeout(Duration timeout) {
            this.remoteTimeout = timeout;
            return this;
        }

        /** Retries of one {@code /flags} call (default 2; null: the client config's policy). */
        public Builder remoteMaxRetries(@Nullable Integer retries) {
            this.remoteMaxRetries = retries;
            return this;
        }

        /** What to do when flags cannot be evaluated (default EMIT_WITHOUT_FLAGS). */
        public Builder failurePolicy(FlagFailurePolicy policy) {
            this.failurePolicy = policy;
            return this;
        }

        /** Event properties that are also person properties for evaluation. */
        public Builder personPropertyKeys(String... keys) {
            personPropertyKeys.addAll(Arrays.asList(keys));
            return this;
        }

        /** Take the event's {@code $set} as person properties (default true). */
        public Builder personPropertiesFromSet(boolean fromSet) {
            this.personPropertiesFromSet = fromSet;
            return this;
        }

        /** Event properties that are properties of the event's group of {@code groupType}. */
        public Builder groupPropertyKeys(String groupType, String... keys) {
            groupPropertyKeys
                    .computeIfAbsent(groupType, t -> new ArrayList<>())
                    .addAll(Arrays.asList(keys));
            return this;
        }

        /**
         * Replace {@code $feature/*} and {@code $active_feature_flags} already on the event.
         * Default false: as PostHog's SDKs, the event's own values win.
         */
        public Builder overwriteExistingProperties(boolean overwrite) {
            this.overwriteExistingProperties = overwrite;
            return this;
        }

        public FlagEnrichmentOptions build() {
            return new FlagEnrichmentOptions(this);
        }
    }
}
