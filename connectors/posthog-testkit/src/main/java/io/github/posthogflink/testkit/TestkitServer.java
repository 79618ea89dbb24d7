package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.HttpTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The server without JUnit: components plus the HTTP transport. Used by the extension and main. */
final class TestkitServer implements AutoCloseable {
    final TestkitComponents components;
    private final boolean ownsQueryExecutor;
    private volatile HttpTransport transport;

    TestkitServer(TestkitConfig config, boolean ownsQueryExecutor) {
        this.components = new TestkitComponents(config);
        this.ownsQueryExecutor = ownsQueryExecutor;
    }

    /** A daemon pool for async queries, owned by the server. */
    static ExecutorService defaultQueryExecutor() {
        return Executors.newCachedThreadPool(
                runnable -> {
                    Thread thread = new Thread(runnable, "posthog-testkit-query");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    synchronized void start() {
        if (transport == null) {
            try {
                transport =
                        HttpTransport.start(
                                components.config.transport(),
                                new RequestPipeline(
                                        components.router,
                                        components.faults,
                                        components.rateLimiter,
                                        components.journal,
                                        components.config.clock()));
                components.inspection.setTransportCounters(transport.stats()::snapshot);
            } catch (IOException e) {
                throw new UncheckedIOException("The PostHog testkit could not bind", e);
            }
        }
    }

    HttpTransport transport() {
        HttpTransport current = transport;
        if (current == null) {
            throw new IllegalStateException("The PostHog testkit server is not started");
        }
        return current;
    }

    boolean started() {
        return transport != null;
    }

    @Override
    public synchronized void close() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        components.queryBackend.close();
        if (ownsQueryExecutor) {
            components.config.queryExecutor().shutdownNow();
        }
    }
}
