package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.ratelimit.RateLimitClass;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Batched, cached, budgeted person lookups, independent of Flink. Lookups that miss the cache
 * collect into a batch for {@code batchWindow} or until {@code maxBatchSize} keys; the batch then
 * takes one permit of the request budget and goes out as one request. While a batch waits for its
 * permit, later keys join it (up to {@code maxBatchSize}), so under a scarce budget a key waits for
 * the next permit at most, not behind a queue of small batches. Lookups for a key already pending
 * join its request. Found and missing persons are cached.
 *
 * <p>Under {@link BudgetPolicy#WAIT} a batch waits for its permit however long it takes. Under the
 * other policies a key whose permit would come after its deadline ({@code timeout} after the
 * lookup) completes at once with a {@link BudgetExceededException}; a batch none of whose keys can
 * make it is not sent. A key PostHog's answers leave undetermined (a truncated persons page) is
 * asked {@value #MAX_UNDETERMINED_RETRIES} more times, then fails with {@link
 * UndeterminedPersonException}.
 */
@Internal
public final class PersonLookupEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersonLookupEngine.class);

    /** How many more requests a key PostHog's answer left undetermined gets. */
    public static final int MAX_UNDETERMINED_RETRIES = 3;

    private final PersonResolver resolver;
    private final PersonCache cache;
    private final RequestBudget budget;
    private final LongSupplier ticker;
    private final LookupScheduler scheduler;
    private final PersonLookupStats stats = new PersonLookupStats();
    private final int maxBatch;
    private final long windowNanos;
    private final long timeoutNanos;
    private final boolean waitForBudget;

    // Guarded by this.
    private final Map<String, PendingLookup> pending = new HashMap<>();
    private List<PendingLookup> batch = new ArrayList<>();
    private long batchGeneration;
    private WaitingBatch joinable; // the batch waiting for its permit that still has room
    private boolean closed;

    /**
     * An engine over any resolver. {@code budgetShare} is this engine's fraction of {@code
     * options.budgetWindows()}; {@code ticker} gives nanoseconds.
     */
    public PersonLookupEngine(
            PersonLookupOptions options,
            PersonResolver resolver,
            double budgetShare,
            LongSupplier ticker,
            LookupScheduler scheduler) {
        this.resolver = resolver;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.cache = new PersonCache(options, ticker, stats);
        this.budget = new RequestBudget(effectiveWindows(options, budgetShare));
        this.maxBatch = Math.min(options.maxBatchSize(), resolver.maxKeysPerRequest());
        this.windowNanos = options.batchWindow().toNanos();
        this.timeoutNanos = options.timeout().toNanos();
        this.waitForBudget = options.budgetPolicy() == BudgetPolicy.WAIT;
    }

    /** An engine for {@code options.lookupKey()} over a client, with the system ticker. */
    public static PersonLookupEngine create(
            PersonLookupOptions options, PostHogClient client, double budgetShare) {
        return new PersonLookupEngine(
                options,
                resolverFor(options, client),
                budgetShare,
                System::nanoTime,
                LookupScheduler.singleThread("posthog-person-lookup"));
    }

    /** The resolver {@code options.lookupKey()} calls for. */
    public static PersonResolver resolverFor(PersonLookupOptions options, PostHogClient client) {
        return switch (options.lookupKey()) {
            case BY_DISTINCT_ID -> new DistinctIdResolver(client.persons(), options.maxBatchSize());
            case BY_EMAIL, BY_PROPERTY ->
                    new PropertyResolver(
                            client.persons(), options.propertyKey(), options.maxBatchSize());
        };
    }

    /** The budget windows after sharing (at least one permit each). */
    public static List<Window> effectiveWindows(PersonLookupOptions options, double share) {
        return RateLimitPolicy.postHogDefaults()
                .withLimits(RateLimitClass.PERSONS, options.budgetWindows().toArray(new Window[0]))
                .withShare(share)
                .effectiveWindows(RateLimitClass.PERSONS);
    }

    /**
     * Starts as if every permit had just been used, so the first request waits one window. For a
     * restarted subtask: PostHog still counts its previous attempt's requests, which this engine
     * never saw, and a full budget would burst into 429s.
     */
    public void assumeBudgetSpent() {
        budget.spendAll(ticker.getAsLong());
    }

    /**
     * The person for {@code key}: empty when PostHog has none; fails with {@link
     * BudgetExceededException} when the budget could not serve it in time (not under WAIT), or with
     * the client's exception when the request failed.
     */
    public CompletableFuture<Optional<Person>> lookup(String key) {
        PersonCache.Entry cached = cachedEntry(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.asOptional());
        }
        return lookupUncached(key);
    }

    /** The cached answer for {@code key}, if any: a hit, counted as one. */
    public Optional<Optional<Person>> getIfCached(String key) {
        PersonCache.Entry cached = cachedEntry(key);
        return cached == null ? Optional.empty() : Optional.of(cached.asOptional());
    }

    @Nullable
    private PersonCache.Entry cachedEntry(String key) {
        PersonCache.Entry cached = cache.get(key);
        if (cached != null) {
            stats.cacheHits.increment();
            if (cached.person() == null) {
                stats.negativeHits.increment();
            }
        }
        return cached;
    }

    private CompletableFuture<Optional<Person>> lookupUncached(String key) {
        stats.cacheMisses.increment();
        long deadline = ticker.getAsLong() + timeoutNanos;
        List<PendingLookup> full = null;
        long timerGeneration = -1;
        PendingLookup p;
        PendingLookup late = null;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new CancellationException("person lookup engine closed"));
            }
            p = pending.get(key);
            if (p != null) {
                stats.coalesced.increment();
                p.deadline = Math.max(p.deadline, deadline);
                return p.future;
            }
            // A response may have landed between the cache check and here.
            PersonCache.Entry cached = cache.get(key);
            if (cached != null) {
                return CompletableFuture.completedFuture(cached.asOptional());
            }
            p = new PendingLookup(key, deadline);
            pending.put(key, p);
            if (joinable != null && joinable.keys.size() < maxBatch) {
                // Goes out with the batch that waits for its permit. A key whose deadline
                // comes first is given up at once (no permit comes sooner), but rides along:
                // the request costs the same and its answer warms the cache.
                joinable.keys.add(p);
                if (waitForBudget || deadline >= joinable.grant.time()) {
                    return p.future;
                }
                late = p;
            } else {
                batch.add(p);
                if (batch.size() >= maxBatch) {
                    full = batch;
                    batch = new ArrayList<>();
                    batchGeneration++;
                } else if (batch.size() == 1) {
                    timerGeneration = batchGeneration;
                }
            }
        }
        if (late != null) {
            skip(List.of(late));
        } else if (full != null) {
            dispatch(full);
        } else if (timerGeneration >= 0) {
            long generation = timerGeneration;
            scheduler.schedule(() -> windowElapsed(generation), windowNanos);
        }
        return p.future;
    }

    private void windowElapsed(long generation) {
        List<PendingLookup> due;
        synchronized (this) {
            if (generation != batchGeneration || batch.isEmpty()) {
                return;
            }
            due = batch;
            batch = new ArrayList<>();
            batchGeneration++;
        }
        dispatch(due);
    }

    private void dispatch(List<PendingLookup> keys) {
        long now = ticker.getAsLong();
        RequestBudget.Grant grant;
        if (waitForBudget) {
            grant = budget.reserve(now);
        } else {
            long latest = Long.MIN_VALUE;
            synchronized (this) {
                for (PendingLookup p : keys) {
                    latest = Math.max(latest, p.deadline);
                }
            }
            Optional<RequestBudget.Grant> reserved = budget.tryReserve(now, latest);
            if (reserved.isEmpty()) {
                skip(keys);
                return;
            }
            grant = reserved.get();
            List<PendingLookup> late = new ArrayList<>();
            synchronized (this) {
                for (PendingLookup p : keys) {
                    if (p.deadline < grant.time()) {
                        late.add(p);
                    }
                }
            }
            // Late keys stay in the request (it costs the same and warms the cache).
            skip(late);
        }
        sendWhenDue(new WaitingBatch(keys, grant), now);
    }

    private void sendWhenDue(WaitingBatch waiting, long now) {
        long delay = budget.confirm(waiting.grant) - now;
        List<PendingLookup> keys;
        synchronized (this) {
            if (delay > 0) {
                if (waiting.keys.size() < maxBatch) {
                    joinable = waiting;
                }
            } else if (joinable == waiting) {
                joinable = null;
            }
            keys = delay > 0 ? null : new ArrayList<>(waiting.keys);
        }
        if (keys != null) {
            send(keys, waiting.grant);
        } else {
            stats.budgetWaitNanos.add(delay);
            scheduler.schedule(() -> sendWhenDue(waiting, ticker.getAsLong()), delay);
        }
    }

    private void skip(List<PendingLookup> keys) {
        if (keys.isEmpty()) {
            return;
        }
        synchronized (this) {
            PendingLookup.forget(pending, keys);
        }
        stats.skippedBudget.add(keys.size());
        PendingLookup.failAll(
                keys,
                new BudgetExceededException(
                        "no request budget for a person lookup within the timeout"));
    }

    private void send(List<PendingLookup> keys, RequestBudget.Grant grant) {
        List<String> ids = new ArrayList<>(keys.size());
        for (PendingLookup p : keys) {
            ids.add(p.key);
        }
        stats.requests.increment();
        stats.requestedKeys.add(ids.size());
        CompletableFuture<PersonResolver.Resolution> call;
        try {
            call = resolver.resolve(ids);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete(
                (resolution, error) -> {
                    budget.completed(grant, ticker.getAsLong());
                    if (error != null) {
                        fail(keys, error);
                    } else {
                        complete(keys, resolution);
                    }
                });
    }

    private void complete(List<PendingLookup> keys, PersonResolver.Resolution resolution) {
        List<PendingLookup> again = new ArrayList<>();
        List<PendingLookup> unsettled = new ArrayList<>();
        List<PendingLookup> done = new ArrayList<>(keys.size());
        for (PendingLookup p : keys) {
            if (resolution.undetermined().contains(p.key)) {
                (++p.undeterminedAnswers > MAX_UNDETERMINED_RETRIES ? unsettled : again).add(p);
                continue;
            }
            Person person = resolution.found().get(p.key);
            cache.put(p.key, person);
            (person != null ? stats.found : stats.notFound).increment();
            done.add(p);
        }
        synchronized (this) {
            PendingLookup.forget(pending, done);
            PendingLookup.forget(pending, unsettled);
        }
        for (PendingLookup p : done) {
            p.future.complete(Optional.ofNullable(resolution.found().get(p.key)));
        }
        if (!unsettled.isEmpty()) {
            stats.undetermined.add(unsettled.size());
            LOG.warn(
                    "PostHog's answers left {} person keys undetermined after {} requests each"
                            + " (persons pages truncated before covering them); giving up on them",
                    unsettled.size(),
                    1 + MAX_UNDETERMINED_RETRIES);
            PendingLookup.failAll(
                    unsettled,
                    new UndeterminedPersonException(
                            "PostHog's persons pages did not cover the key in "
                                    + (1 + MAX_UNDETERMINED_RETRIES)
                                    + " requests: more persons share the looked-up values than"
                                    + " one page holds"));
        }
        if (!again.isEmpty()) {
            for (int i = 0; i < again.size(); i += maxBatch) {
                dispatch(new ArrayList<>(again.subList(i, Math.min(again.size(), i + maxBatch))));
            }
        }
    }

    private void fail(List<PendingLookup> keys, Throwable error) {
        stats.failedRequests.increment();
        LOG.warn("A person lookup request for {} keys failed: {}", keys.size(), error.toString());
        synchronized (this) {
            PendingLookup.forget(pending, keys);
        }
        PendingLookup.failAll(keys, error);
    }

    public PersonLookupStats stats() {
        return stats;
    }

    /** Cached rows (an estimate). */
    public long cachedRows() {
        return cache.estimatedSize();
    }

    /** Estimated cached bytes. */
    public long cachedBytes() {
        return cache.weightedSize();
    }

    /** Lookups waiting for a batch or a response. */
    public synchronized int pendingKeys() {
        return pending.size();
    }

    /** Forgets a cached answer. */
    public void invalidate(String key) {
        cache.invalidate(key);
    }

    /** Runs the cache's pending expiry and eviction work now. */
    public void cleanUpCache() {
        cache.cleanUp();
    }

    /** Fails pending lookups and stops the scheduler. */
    @Override
    public void close() {
        List<PendingLookup> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(pending.values());
            pending.clear();
            batch = new ArrayList<>();
            batchGeneration++;
            joinable = null;
        }
        PendingLookup.failAll(left, new CancellationException("person lookup engine closed"));
        scheduler.close();
    }
}
