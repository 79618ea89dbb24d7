package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.flags.FlagDefinitionsSnapshot;
import io.github.posthogflink.client.flags.local.FlagDefinitions;
import io.github.posthogflink.client.flags.local.LocalFlagEvaluator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Keeps the local-evaluation definitions fresh: polls {@code /flags/definitions} with {@code
 * If-None-Match}, swaps in a new evaluator on a 200, keeps it on a 304 or an error, and drops it on
 * 401 or 402 (as PostHog's SDKs do). One poller serves every subtask that shares its credentials.
 */
final class FlagDefinitionsPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlagDefinitionsPoller.class);

    /** Fetches definitions, conditionally on an ETag. */
    @FunctionalInterface
    interface Fetcher {
        CompletableFuture<FlagDefinitionsSnapshot> fetch(@Nullable String etag);
    }

    /** The current definitions; {@code evaluator} null when none are loaded. */
    record State(
            @Nullable LocalFlagEvaluator evaluator,
            @Nullable String etag,
            long version,
            long lastSuccessNanos) {
        static final State EMPTY = new State(null, null, 0, Long.MIN_VALUE);
    }

    private final Fetcher fetcher;
    private final Duration interval;
    private final LongSupplier ticker;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    FlagDefinitionsPoller(Fetcher fetcher, Duration interval, LongSupplier ticker) {
        this.fetcher = fetcher;
        this.interval = interval;
        this.ticker = ticker;
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "posthog-flag-definitions");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts polling now and then every interval. */
    FlagDefinitionsPoller start() {
        scheduler.execute(this::scheduledPoll);
        return this;
    }

    private void scheduledPoll() {
        pollNow()
                .whenComplete(
                        (ignored, error) -> {
                            if (!closed) {
                                try {
                                    scheduler.schedule(
                                            this::scheduledPoll,
                                            interval.toMillis(),
                                            TimeUnit.MILLISECONDS);
                                } catch (RuntimeException e) {
                                    LOG.debug("Definitions polling stopped: {}", e.toString());
                                }
                            }
                        });
    }

    /** Polls once (joining a poll in flight); never fails. */
    CompletableFuture<Void> pollNow() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        polls.incrementAndGet();
        CompletableFuture<FlagDefinitionsSnapshot> call;
        try {
            call = fetcher.fetch(state.get().etag());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete(
                (snapshot, error) -> {
                    try {
                        if (error != null) {
                            onFailure(unwrap(error));
                        } else {
                            onSnapshot(snapshot);
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        LOG.warn("Flag definitions could not be loaded: {}", e.toString());
                    } finally {
                        inFlight.set(null);
                        firstAttempt.complete(null);
                        mine.complete(null);
                    }
                });
        return mine;
    }

    private void onSnapshot(FlagDefinitionsSnapshot snapshot) {
        long now = ticker.getAsLong();
        State current = state.get();
        if (snapshot.notModified()) {
            notModified.incrementAndGet();
            state.set(
                    new State(
                            current.evaluator(),
                            snapshot.etag() != null ? snapshot.etag() : current.etag(),
                            current.version(),
                            now));
            return;
        }
        FlagDefinitions definitions = FlagDefinitions.parse(snapshot.definitions());
        state.set(
                new State(
                        new LocalFlagEvaluator(definitions),
                        snapshot.etag(),
                        current.version() + 1,
                        now));
        LOG.info("Loaded {} feature flag definitions", definitions.size());
    }

    private void onFailure(Throwable error) {
        failures.incrementAndGet();
        if (error instanceof PostHogException p && (p.status() == 401 || p.status() == 402)) {
            State current = state.get();
            state.set(new State(null, null, current.version() + 1, Long.MIN_VALUE));
            LOG.warn(
                    "Flag definitions refused (HTTP {}): cleared; flags go to /flags until they"
                            + " load again",
                    p.status());
            return;
        }
        LOG.warn("Flag definitions poll failed, keeping the last ones: {}", error.toString());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Completes after the first poll, whatever its outcome. */
    CompletableFuture<Void> firstAttempt() {
        return firstAttempt;
    }

    State state() {
        return state.get();
    }

    /** The evaluator over the current definitions, or null when none are loaded. */
    @Nullable
    LocalFlagEvaluator evaluator() {
        return state.get().evaluator();
    }

    /** Milliseconds since the server last confirmed the definitions (200 or 304); -1 if never. */
    long ageMillis() {
        long last = state.get().lastSuccessNanos();
        return last == Long.MIN_VALUE
                ? -1
                : TimeUnit.NANOSECONDS.toMillis(ticker.getAsLong() - last);
    }

    long version() {
        return state.get().version();
    }

    int flagCount() {
        LocalFlagEvaluator evaluator = evaluator();
        return evaluator == null ? 0 : evaluator.definitions().size();
    }

    long polls() {
        return polls.get();
    }

    long notModifiedCount() {
        return notModified.get();
    }

    long failureCount() {
        return failures.get();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        firstAttempt.complete(null);
    }
}
