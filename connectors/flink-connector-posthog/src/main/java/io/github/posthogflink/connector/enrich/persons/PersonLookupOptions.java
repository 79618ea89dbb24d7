package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.persons.PersonsApi;
import io.github.posthogflink.client.ratelimit.RateLimitClass;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Settings of a person lookup. Serializable; build with {@link #builder(PostHogClientConfig)}. */
@PublicEvolving
public final class PersonLookupOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PostHogClientConfig clientConfig;
    private final LookupKey lookupKey;
    private final String propertyKey;
    private final Duration batchWindow;
    private final int maxBatchSize;
    private final long cacheMaxRows;
    private final long cacheMaxBytes;
    private final Duration cacheTtl;
    private final Duration negativeCacheTtl;
    private final Duration timeout;
    private final BudgetPolicy budgetPolicy;
    private final double budgetShare;
    private final List<Window> budgetWindows;
    private final int asyncCapacity;

    private PersonLookupOptions(Builder b) {
        this.clientConfig = Objects.requireNonNull(b.clientConfig, "clientConfig");
        this.lookupKey = Objects.requireNonNull(b.lookupKey, "lookupKey");
        this.propertyKey =
                switch (lookupKey) {
                    case BY_EMAIL -> "email";
                    case BY_PROPERTY -> requireText(b.propertyKey, "propertyKey");
                    case BY_DISTINCT_ID -> "distinct_id";
                };
        this.batchWindow = nonNegative(b.batchWindow, "batchWindow");
        if (b.maxBatchSize < 1 || b.maxBatchSize > PersonsApi.MAX_BATCH_DISTINCT_IDS) {
            throw new IllegalArgumentException(
                    "maxBatchSize must be in 1.." + PersonsApi.MAX_BATCH_DISTINCT_IDS);
        }
        this.maxBatchSize = b.maxBatchSize;
        if (b.cacheMaxRows < 1 || b.cacheMaxBytes < 1) {
            throw new IllegalArgumentException("cacheMaxRows and cacheMaxBytes must be >= 1");
        }
        this.cacheMaxRows = b.cacheMaxRows;
        this.cacheMaxBytes = b.cacheMaxBytes;
        this.cacheTtl = positive(b.cacheTtl, "cacheTtl");
        this.negativeCacheTtl = positive(b.negativeCacheTtl, "negativeCacheTtl");
        this.timeout = positive(b.timeout, "timeout");
        this.budgetPolicy = Objects.requireNonNull(b.budgetPolicy, "budgetPolicy");
        if (!(b.budgetShare > 0 && b.budgetShare <= 1)) {
            throw new IllegalArgumentException("budgetShare must be in (0, 1]");
        }
        this.budgetShare = b.budgetShare;
        this.budgetWindows = List.copyOf(b.budgetWindows);
        if (b.asyncCapacity < 1) {
            throw new IllegalArgumentException("asyncCapacity must be >= 1");
        }
        this.asyncCapacity = b.asyncCapacity;
    }

    /** Options for a client; every other setting has a default. */
    public static Builder builder(PostHogClientConfig clientConfig) {
        return new Builder(clientConfig);
    }

    public PostHogClientConfig clientConfig() {
        return clientConfig;
    }

    public LookupKey lookupKey() {
        return lookupKey;
    }

    /** The person property matched for {@link LookupKey#BY_EMAIL} and {@code BY_PROPERTY}. */
    public String propertyKey() {
        return propertyKey;
    }

    public Duration batchWindow() {
        return batchWindow;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public long cacheMaxRows() {
        return cacheMaxRows;
    }

    public long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    public Duration negativeCacheTtl() {
        return negativeCacheTtl;
    }

    public Duration timeout() {
        return timeout;
    }

    public BudgetPolicy budgetPolicy() {
        return budgetPolicy;
    }

    public double budgetShare() {
        return budgetShare;
    }

    /** The organization-wide budget windows before sharing. */
    public List<Window> budgetWindows() {
        return budgetWindows;
    }

    public int asyncCapacity() {
        return asyncCapacity;
    }

    @Override
    public String toString() {
        return "PersonLookupOptions{client="
                + clientConfig
                + ", lookupKey="
                + lookupKey
                + ", propertyKey="
                + propertyKey
                + ", batchWindow="
                + batchWindow
                + ", maxBatchSize="
                + maxBatchSize
                + ", cacheMaxRows="
                + cacheMaxRows
                + ", cacheMaxBytes="
                + cacheMaxBytes
                + ", cacheTtl="
                + cacheTtl
                + ", negativeCacheTtl="
                + negativeCacheTtl
                + ", timeout="
                + timeout
                + ", budgetPolicy="
                + budgetPolicy
                + ", budgetShare="
                + budgetShare
                + ", budgetWindows="
                + budgetWindows
                + ", asyncCapacity="
                + asyncCapacity
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

    private static String requireText(@Nullable String s, String name) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " is required for BY_PROPERTY");
        }
        return s;
    }

    /** Builds {@link PersonLookupOptions}. */
    public static final class Builder {
        private final PostHogClientConfig clientConfig;
        private LookupKey lookupKey = LookupKey.BY_DISTINCT_ID;
        @Nullable private String propertyKey;
        private Duration batchWindow = Duration.ofMillis(10);
        private int maxBatchSize = PersonsApi.MAX_BATCH_DISTINCT_IDS;
        private long cacheMaxRows = 100_000;
        private long cacheMaxBytes = 128L * 1024 * 1024;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private Duration negativeCacheTtl = Duration.ofMinutes(1);
        private Duration timeout = Duration.ofSeconds(30);
        private BudgetPolicy budgetPolicy = BudgetPolicy.WAIT;
        private double budgetShare = 1.0;
        private List<Window> budgetWindows = RateLimitClass.PERSONS.defaultWindows();
        private int asyncCapacity = 1000;

        private Builder(PostHogClientConfig clientConfig) {
            this.clientConfig = clientConfig;
        }

        /** Look up by distinct id (default). */
        public Builder byDistinctId() {
            this.lookupKey = LookupKey.BY_DISTINCT_ID;
            return this;
        }

        /** Look up by the person property {@code email}. */
        public Builder byEmail() {
            this.lookupKey = LookupKey.BY_EMAIL;
            return this;
        }

        /** Look up by a person property (exact match). */
        public Builder byProperty(String key) {
            this.lookupKey = LookupKey.BY_PROPERTY;
            this.propertyKey = key;
            return this;
        }

        /** How long a batch collects keys before it goes out. Default 10 ms. */
        public Builder batchWindow(Duration window) {
            this.batchWindow = window;
            return this;
        }

        /** Keys per request, at most 200 (PostHog's limit). Default 200. */
        public Builder maxBatchSize(int size) {
            this.maxBatchSize = size;
            return this;
        }

        /** Cached rows per subtask. Default 100,000. */
        public Builder cacheMaxRows(long rows) {
            this.cacheMaxRows = rows;
            return this;
        }

        /** Estimated cache bytes per subtask. Default 128 MiB. */
        public Builder cacheMaxBytes(long bytes) {
            this.cacheMaxBytes = bytes;
            return this;
        }

        /** How long a found person stays cached. Default 10 minutes. */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /** How long a missing person stays cached. Default 1 minute. */
        public Builder negativeCacheTtl(Duration ttl) {
            this.negativeCacheTtl = ttl;
            return this;
        }

        /**
         * How long a lookup may wait for budget and its request before the budget policy applies.
         * Default 30 s.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** What happens when the budget cannot serve a lookup in time. Default WAIT. */
        public Builder budgetPolicy(BudgetPolicy policy) {
            this.budgetPolicy = policy;
            return this;
        }

        /**
         * The fraction of the personal key's persons budget this operator may use, split evenly
         * across its subtasks. Default 1.0. PostHog keeps the budget per personal API key: lower
         * this when other jobs or tools read persons (or insights, which share the bucket) with the
         * same key.
         */
        public Builder budgetShare(double share) {
            this.budgetShare = share;
            return this;
        }

        /**
         * The budget per personal API key before sharing. Default PostHog's throttle of persons
         * reads with a personal key: 240/min, no hourly cap ({@code posthog/api/person.py}).
         */
        public Builder budgetWindows(Window... windows) {
            this.budgetWindows = List.of(windows);
            return this;
        }

        /** In-flight elements per subtask for {@link PersonEnrichment}. Default 1000. */
        public Builder asyncCapacity(int capacity) {
            this.asyncCapacity = capacity;
            return this;
        }

        public PersonLookupOptions build() {
            return new PersonLookupOptions(this);
        }
    }
}
