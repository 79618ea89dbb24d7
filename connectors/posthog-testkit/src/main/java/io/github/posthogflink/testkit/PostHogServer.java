package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultInjector;
import io.github.posthogflink.testkit.http.HttpTransport;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.persons.GroupSnapshot;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.query.QueryService;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A PostHog-compatible server on loopback: capture, flags, persons, the private API and HogQL
 * queries, with inspection, fault injection and switchable rate limits. Needs no JUnit: use it
 * embedded (e.g. a demo job's default PostHog); in JUnit 5 tests use {@link PostHogTestServer}.
 *
 * <pre>{@code
 * try (PostHogServer posthog = PostHogServer.builder().port(8010).build().start()) { ... }
 * }</pre>
 */
public final class PostHogServer implements AutoCloseable {
    private final TestkitServer server;
    private final TestkitComponents components;

    PostHogServer(TestkitConfig config, boolean ownsQueryExecutor) {
        this.server = new TestkitServer(config, ownsQueryExecutor);
        this.components = server.components;
    }

    public static Builder<PostHogServer> builder() {
        return new Builder<>(server -> server);
    }

    /** Binds and serves; does nothing when already started. */
    public PostHogServer start() {
        server.start();
        return this;
    }

    @Override
    public void close() {
        server.close();
    }

    /** E.g. {@code http://127.0.0.1:54321}, without a trailing slash. */
    public String baseUrl() {
        return started().baseUrl();
    }

    public int port() {
        return started().port();
    }

    public String projectApiKey() {
        return components.config.projectApiKey();
    }

    public String personalApiKey() {
        return components.config.personalApiKey();
    }

    /** The feature-flags secure key accepted by the definitions endpoints. */
    public String secureFlagsKey() {
        return components.config.secureFlagsKey();
    }

    public long projectId() {
        return components.config.projectId();
    }

    public Clock clock() {
        return components.config.clock();
    }

    /** Seeding helpers: flags, persons, groups, cohorts, recordings, other resources. */
    public TestkitSeeds seed() {
        return new TestkitSeeds(components);
    }

    /** Fault rules, programmable at any time. */
    public FaultInjector faults() {
        return components.faults;
    }

    /** The query API's cache and slow-query switch ({@code clearCache}, {@code executionTime}). */
    public QueryService queries() {
        return components.queries;
    }

    /** The private API's throttles (off unless enabled). */
    public RateLimiter rateLimits() {
        return components.rateLimiter;
    }

    /** Requests received (not those under {@code /_testkit/}), oldest first. */
    public List<RecordedRequest> requests() {
        return components.journal.requests();
    }

    /** Every captured event, duplicates included, in arrival order. */
    public List<CapturedEvent> events() {
        return components.events.raw();
    }

    /** Captured events deduplicated as ClickHouse would (uuid, event, distinct_id, day). */
    public List<CapturedEvent> dedupedEvents() {
        return components.events.deduped();
    }

    public List<PersonSnapshot> persons() {
        return components.persons.all();
    }

    public Optional<PersonSnapshot> person(String distinctId) {
        return components.persons.byDistinctId(distinctId);
    }

    public List<GroupSnapshot> groups() {
        return components.groups.all();
    }

    /**
     * Request counters ({@code requests}, {@code requests.POST /batch/}, {@code status.200}...).
     */
    public Map<String, Long> counters() {
        return new TreeMap<>(components.inspection.counters());
    }

    /** Forgets all data, requests, faults and throttle history; keeps keys and settings. */
    public void reset() {
        components.reset();
    }

    private HttpTransport started() {
        return server.transport();
    }

    @Override
    public String toString() {
        return "PostHogServer["
                + (server.started() ? server.transport().baseUrl() : "stopped")
                + "]";
    }

    /**
     * Settings; every one has a default suitable for tests.
     *
     * @param <S> what {@link #build()} returns
     */
    public static final class Builder<S> {
        private final Function<PostHogServer, S> wrap;
        private String host = TestkitConfig.DEFAULT_HOST;
        private int port;
        private String projectApiKey = TestkitConfig.DEFAULT_PROJECT_API_KEY;
        private String personalApiKey = TestkitConfig.DEFAULT_PERSONAL_API_KEY;
        private List<String> personalApiKeyScopes = List.of("*");
        private String secureFlagsKey = TestkitConfig.DEFAULT_SECURE_FLAGS_KEY;
        private long projectId = 1;
        private Clock clock = Clock.systemUTC();
        private boolean rateLimits;
        private Map<Integer, String> groupTypeMapping = Map.of();
        private ExecutorService queryExecutor;
        private int journalCapacity = TestkitConfig.DEFAULT_JOURNAL_CAPACITY;
        private long journalMaxBytes = TestkitConfig.DEFAULT_JOURNAL_MAX_BYTES;
        private int maxRequestBodyBytes = HttpTransport.DEFAULT_MAX_BODY_BYTES;
        private int workerThreads = HttpTransport.DEFAULT_WORKER_THREADS;

        Builder(Function<PostHogServer, S> wrap) {
            this.wrap = wrap;
        }

        /** The address to bind; 127.0.0.1 by default. */
        public Builder<S> host(String host) {
            this.host = host;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder<S> port(int port) {
            this.port = port;
            return this;
        }

        public Builder<S> projectApiKey(String key) {
            this.projectApiKey = key;
            return this;
        }

        public Builder<S> personalApiKey(String key) {
            this.personalApiKey = key;
            return this;
        }

        /**
         * The personal key's scopes, e.g. {@code "query:read"}; {@code "*"} (the default) grants
         * every scope. A request the key has no scope for gets PostHog's 403 {@code
         * permission_denied}.
         */
        public Builder<S> personalApiKeyScopes(String... scopes) {
            this.personalApiKeyScopes = List.of(scopes);
            return this;
        }

        public Builder<S> secureFlagsKey(String key) {
            this.secureFlagsKey = key;
            return this;
        }

        public Builder<S> projectId(long projectId) {
            this.projectId = projectId;
            return this;
        }

        /** The clock for timestamps, outage windows and throttles. */
        public Builder<S> clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Enables PostHog's private-API throttles from the start. */
        public Builder<S> rateLimits(boolean enabled) {
            this.rateLimits = enabled;
            return this;
        }

        /** Group type index to name, e.g. {@code Map.of(0, "company")}. */
        public Builder<S> groupTypeMapping(Map<Integer, String> mapping) {
            this.groupTypeMapping = Map.copyOf(mapping);
            return this;
        }

        /** Runs async queries (the caller then owns and shuts it down). */
        public Builder<S> queryExecutor(ExecutorService executor) {
            this.queryExecutor = executor;
            return this;
        }

        /** How many requests the journal keeps (100,000 by default). */
        public Builder<S> journalCapacity(int capacity) {
            this.journalCapacity = capacity;
            return this;
        }

        /**
         * About how many bytes of requests the journal keeps (64 MiB by default; bodies as
         * received); the oldest requests go first.
         */
        public Builder<S> journalMaxBytes(long bytes) {
            this.journalMaxBytes = bytes;
            return this;
        }

        /**
         * The largest request body accepted as sent, before gunzip (20 MiB by default, capture's
         * largest decoded batch); a larger one gets a 413.
         */
        public Builder<S> maxRequestBodyBytes(int bytes) {
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        /**
         * How many requests are handled at once (16 by default); others wait their turn. HTTP
         * parsing and timers run on separate event-loop threads.
         */
        public Builder<S> workerThreads(int threads) {
            this.workerThreads = threads;
            return this;
        }

        public S build() {
            boolean owns = queryExecutor == null;
            ExecutorService executor = owns ? TestkitServer.defaultQueryExecutor() : queryExecutor;
            return wrap.apply(
                    new PostHogServer(
                            new TestkitConfig(
                                    host,
                                    port,
                                    projectApiKey,
                                    personalApiKey,
                                    personalApiKeyScopes,
                                    secureFlagsKey,
                                    projectId,
                                    clock,
                                    rateLimits,
                                    groupTypeMapping,
                                    executor,
                                    journalCapacity,
                                    journalMaxBytes,
                                    maxRequestBodyBytes,
                                    workerThreads),
                            owns));
        }
    }
}
