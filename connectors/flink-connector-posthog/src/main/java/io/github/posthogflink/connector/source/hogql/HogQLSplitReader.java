package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.query.QueryResponse;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Polls the query for its split (splits are read one after another, each from its own position):
 * waits for the next poll time (woken up by Flink when it needs the thread), runs the query, and
 * turns the response into records. A failed poll that may succeed later is retried with backoff and
 * emits nothing, so the last good snapshot stays in place; any other failure fails the source. An
 * unbounded incremental read that is caught up runs the {@link LateRows} check before its next
 * page, at most once per check interval.
 */
final class HogQLSplitReader implements SplitReader<HogQLRecord, HogQLSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLSplitReader.class);

    private final HogQLSourceOptions options;
    private final HogQLSourceMetrics metrics;
    private final Function<HogQLSourceOptions, QueryExecutor> executorFactory;
    @Nullable private QueryExecutor executor;

    private final Deque<HogQLSplit> pending = new ArrayDeque<>();
    @Nullable private String splitId;
    private long rowsEmitted;
    private int inFlightPageSize;
    private String cursorTimestamp;
    private String cursorUuid;
    private long version;
    @Nullable private String until;
    @Nullable private Map<String, List<Object>> previousRows;

    /** The pages so far of a paged snapshot being read; null between polls. */
    @Nullable private SnapshotPages snapshotPages;

    /** Rows turning up behind the cursor; null unless an unbounded incremental read. */
    @Nullable private LateRows lateRows;

    private boolean caughtUp;
    private boolean inFlightIsLateCheck;

    private long nextPollNanos;
    @Nullable private CompletableFuture<QueryResponse> inFlight;
    private Instant inFlightPollTime = Instant.EPOCH;
    private final WakeUpSignal wake = new WakeUpSignal();

    /** Runs queries; a seam so tests can count or replace the transport. */
    interface QueryExecutor extends AutoCloseable {
        CompletableFuture<QueryResponse> run(io.github.posthogflink.client.query.HogQLQuery query);

        @Override
        void close();
    }

    HogQLSplitReader(
            HogQLSourceOptions options,
            HogQLSourceMetrics metrics,
            Function<HogQLSourceOptions, QueryExecutor> executorFactory) {
        this.options = options;
        this.metrics = metrics;
        this.executorFactory = executorFactory;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<HogQLSplit> changes) {
        if (!(changes instanceof SplitsAddition)) {
            return;
        }
        pending.addAll(changes.splits());
        if (splitId == null) {
            startNext();
        }
    }

    /** Starts reading the next pending split, if any; splits are read one after another. */
    private void startNext() {
        HogQLSplit split = pending.poll();
        if (split == null) {
            return;
        }
        splitId = split.splitId();
        cursorTimestamp =
                split.cursorTimestamp() != null
                        ? split.cursorTimestamp()
                        : options.startTimestamp().toString();
        cursorUuid = split.cursorUuid() != null ? split.cursorUuid() : HogQLQueries.NIL_UUID;
        version = split.version();
        until = split.until();
        rowsEmitted = split.rowsEmitted();
        previousRows =
                split.previousRows() != null
                        ? new LinkedHashMap<>(split.previousRows())
                        : options.changelog() ? new LinkedHashMap<>() : null;
        snapshotPages = null;
        caughtUp = false;
        nextPollNanos = System.nanoTime();
        lateRows = null;
        if (options.checksLateRows()) {
            lateRows =
                    new LateRows(
                            options.lateRowWindow(),
                            options.lateRowCheckInterval(),
                            cursorTimestamp,
                            nextPollNanos);
        }
        LOG.info("Reading {}", split);
    }

    @Override
    public RecordsWithSplitIds<HogQLRecord> fetch() throws IOException {
        if (splitId == null) {
            startNext();
            if (splitId == null) {
                return nothing();
            }
        }
        CompletableFuture<Void> wakeSignal = wake.current();
        if (inFlight == null) {
            long waitNanos = nextPollNanos - System.nanoTime();
            if (waitNanos > 0 && wake.awaitFor(wakeSignal, waitNanos)) {
                return nothing();
            }
            io.github.posthogflink.client.query.HogQLQuery check = lateRowCheck();
            inFlightIsLateCheck = check != null;
            if (check == null) {
                inFlightPollTime = options.clock().instant();
            }
            inFlight = executor().run(check != null ? check : nextQuery());
        }
        try {
            CompletableFuture.anyOf(inFlight, wakeSignal).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return nothing();
        } catch (ExecutionException ignored) {
            // inFlight failed: handled below
        }
        if (!inFlight.isDone()) {
            wake.consume(wakeSignal);
            return nothing();
        }
        CompletableFuture<QueryResponse> done = inFlight;
        inFlight = null;
        if (inFlightIsLateCheck) {
            inFlightIsLateCheck = false;
            lateRowCheckDone(done);
            return nothing();
        }
        QueryResponse response;
        try {
            response = done.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return pollFailed(e.getCause() != null ? e.getCause() : e);
        }
        metrics.answerRead(response.answerBytes());
        metrics.succeeded(inFlightPollTime.toEpochMilli(), response.results().size());
        if (options.mode() == HogQLMode.INCREMENTAL) {
            return HogQLPollResults.page(this, response);
        }
        return options.pagedSnapshot()
                ? HogQLPollResults.snapshotPage(this, response)
                : HogQLPollResults.snapshot(this, response);
    }

    /** The late-row check to run now instead of the next page, or null. */
    @Nullable
    private io.github.posthogflink.client.query.HogQLQuery lateRowCheck() {
        long now = System.nanoTime();
        if (lateRows == null || !caughtUp || !lateRows.due(now)) {
            return null;
        }
        return lateRows.query(options, cursorTimestamp, cursorUuid, now);
    }

    private void lateRowCheckDone(CompletableFuture<QueryResponse> done) {
        nextPollNanos = System.nanoTime(); // the page it stood in for
        try {
            QueryResponse answer = done.join();
            metrics.answerRead(answer.answerBytes());
            long found = lateRows.apply(answer);
            metrics.lateRowCheck(found);
            if (found > 0) {
                LOG.warn(
                        "HogQL source '{}': {} rows turned up behind the cursor {} and were not"
                                + " emitted; they arrived later than maxIngestionDelay ({})"
                                + " allows: raise it",
                        options.queryName(),
                        found,
                        cursorTimestamp,
                        options.maxIngestionDelay());
            }
        } catch (RuntimeException e) {
            PostHogException posthog = HogQLPollFailures.find(e);
            if (posthog == null || !posthog.isRetryable()) {
                lateRows.disable();
                LOG.warn(
                        "HogQL source '{}': the late-row check failed and is off from now on: {}",
                        options.queryName(),
                        String.valueOf(posthog != null ? posthog.getMessage() : e));
            } else {
                LOG.debug("HogQL source '{}': late-row check failed: {}", options.queryName(), e);
            }
        }
    }

    private io.github.posthogflink.client.query.HogQLQuery nextQuery() {
        if (options.mode() == HogQLMode.SNAPSHOT) {
            return HogQLQueries.snapshotPoll(
                    options, snapshotPages == null ? null : snapshotPages.after());
        }
        String upper =
                until != null
                        ? until
                        : inFlightPollTime.minus(options.maxIngestionDelay()).toString();
        inFlightPageSize =
                options.limited()
                        ? (int) Math.min(options.pageSize(), options.limit() - rowsEmitted)
                        : options.pageSize();
        return HogQLQueries.incremental(
                options, cursorTimestamp, cursorUuid, upper, inFlightPageSize);
    }

    private RecordsWithSplitIds<HogQLRecord> pollFailed(Throwable error) throws IOException {
        // a paged snapshot starts over at the next poll; the last complete one stays in place
        snapshotPages = null;
        if (!HogQLPollFailures.retryable(error)) {
            PostHogException posthog = HogQLPollFailures.find(error);
            String detail = posthog != null ? posthog.getMessage() : String.valueOf(error);
            throw new IOException(
                    "HogQL query '" + options.queryName() + "' failed: " + detail, error);
        }
        metrics.failed();
        long failures = metrics.consecutiveFailedPolls();
        Duration backoff = HogQLPollFailures.backoff(options, failures);
        LOG.warn(
                "HogQL poll '{}' failed ({} in a row), keeping the last result; retrying in {}: {}",
                options.queryName(),
                failures,
                backoff,
                error.toString());
        nextPollNanos = System.nanoTime() + backoff.toNanos();
        return nothing();
    }

    private QueryExecutor executor() {
        if (executor == null) {
            executor = executorFactory.apply(options);
        }
        return executor;
    }

    static RecordsWithSplitIds<HogQLRecord> nothing() {
        return new RecordsBySplits.Builder<HogQLRecord>().build();
    }

    @Override
    public void wakeUp() {
        wake.wakeUp();
    }

    @Override
    public void close() {
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        if (executor != null) {
            executor.close();
        }
    }

    // --- accessors for HogQLPollResults, which builds records and advances this reader ---

    HogQLSourceOptions options() {
        return options;
    }

    HogQLSourceMetrics metrics() {
        return metrics;
    }

    String splitId() {
        return splitId;
    }

    Instant pollTime() {
        return inFlightPollTime;
    }

    long version() {
        return version;
    }

    void advanceVersion(long version) {
        this.version = version;
    }

    void advanceCursor(String timestamp, String uuid, int rows) {
        this.cursorTimestamp = timestamp;
        this.cursorUuid = uuid;
        this.rowsEmitted += rows;
    }

    /** The page size the incremental page in flight asked for. */
    int requestedPageSize() {
        return inFlightPageSize;
    }

    /** Whether the split has emitted as many rows as the source's limit. */
    boolean limitReached() {
        return options.limited() && rowsEmitted >= options.limit();
    }

    /** The current split is done: the next pending one, if any, starts at the next fetch. */
    void splitFinished() {
        splitId = null;
    }

    /** Notes an incremental row about to be emitted (for the late-row check). */
    void emitting(String cursorTimestamp) {
        if (lateRows != null) {
            lateRows.emitted(cursorTimestamp);
        }
    }

    /** Whether the last incremental page was short: the read has caught up. */
    void caughtUp(boolean caughtUp) {
        this.caughtUp = caughtUp;
    }

    @Nullable
    Map<String, List<Object>> previousRows() {
        return previousRows;
    }

    void replacePreviousRows(Map<String, List<Object>> rows) {
        this.previousRows = rows;
    }

    /** The paged snapshot being read, started at this poll's time on its first page. */
    SnapshotPages snapshotPages() {
        if (snapshotPages == null) {
            snapshotPages = new SnapshotPages(inFlightPollTime);
        }
        return snapshotPages;
    }

    void snapshotPagesDone() {
        snapshotPages = null;
    }

    void pollAgainIn(Duration delay) {
        nextPollNanos = System.nanoTime() + delay.toNanos();
    }
}
