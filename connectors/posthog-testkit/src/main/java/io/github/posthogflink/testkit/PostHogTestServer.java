package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultInjector;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.persons.GroupSnapshot;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.query.QueryService;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PostHogServer} as a JUnit 5 extension: it starts before all tests and stops after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PostHogTestServer posthog = PostHogTestServer.builder().build();
 * }</pre>
 *
 * <p>Outside JUnit call {@link #start()} and {@link #close()}, or use {@link PostHogServer}, which
 * needs no JUnit on the class path.
 */
public final class PostHogTestServer
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {
    private final PostHogServer server;

    private PostHogTestServer(PostHogServer server) {
        this.server = server;
    }

    public static PostHogServer.Builder<PostHogTestServer> builder() {
        return new PostHogServer.Builder<>(PostHogTestServer::new);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The underlying server. */
    public PostHogServer server() {
        return server;
    }

    /** Binds and serves; does nothing when already started. */
    public PostHogTestServer start() {
        server.start();
        return this;
    }

    @Override
    public void close() {
        server.close();
    }

    /** E.g. {@code http://127.0.0.1:54321}, without a trailing slash. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    public String projectApiKey() {
        return server.projectApiKey();
    }

    public String personalApiKey() {
        return server.personalApiKey();
    }

    /** The feature-flags secure key accepted by the definitions endpoints. */
    public String secureFlagsKey() {
        return server.secureFlagsKey();
    }

    public long projectId() {
        return server.projectId();
    }

    public Clock clock() {
        return server.clock();
    }

    /** Seeding helpers: flags, persons, groups, cohorts, recordings, other resources. */
    public TestkitSeeds seed() {
        return server.seed();
    }

    /** Fault rules, programmable at any time. */
    public FaultInjector faults() {
        return server.faults();
    }

    /** The query API's cache and slow-query switch ({@code clearCache}, {@code executionTime}). */
    public QueryService queries() {
        return server.queries();
    }

    /** The private API's throttles (off unless enabled). */
    public RateLimiter rateLimits() {
        return server.rateLimits();
    }

    /** Requests received (not those under {@code /_testkit/}), oldest first. */
    public List<RecordedRequest> requests() {
        return server.requests();
    }

    /** Every captured event, duplicates included, in arrival order. */
    public List<CapturedEvent> events() {
        return server.events();
    }

    /** Captured events deduplicated as ClickHouse would (uuid, event, distinct_id, day). */
    public List<CapturedEvent> dedupedEvents() {
        return server.dedupedEvents();
    }

    public List<PersonSnapshot> persons() {
        return server.persons();
    }

    public Optional<PersonSnapshot> person(String distinctId) {
        return server.person(distinctId);
    }

    public List<GroupSnapshot> groups() {
        return server.groups();
    }

    /**
     * Request counters ({@code requests}, {@code requests.POST /batch/}, {@code status.200}...).
     */
    public Map<String, Long> counters() {
        return server.counters();
    }

    /** Forgets all data, requests, faults and throttle history; keeps keys and settings. */
    public void reset() {
        server.reset();
    }

    @Override
    public String toString() {
        return server.toString().replace("PostHogServer", "PostHogTestServer");
    }
}
