package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.runtime.metrics.MetricNames;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A source reader's metrics. In the group {@code posthog.hogql}: the counters {@code polls}, {@code
 * failedPolls}, {@code rowsFetched}, the gauges {@code consecutiveFailedPolls} and {@code
 * lastSuccessfulPollTime} (epoch ms, 0 before the first), and for unbounded incremental reads the
 * counters {@code lateRowChecks} and {@code lateRows} (rows that turned up behind the cursor and
 * were never emitted; see {@link LateRows}). In the reader's group, FLIP-33's standard metrics:
 * {@code numBytesIn} (bytes of the query answers read), {@code pendingRecords} (records fetched and
 * not yet emitted) and, for incremental reads, {@code currentFetchEventTimeLag} (ms from the last
 * fetched row's date-time cursor to when its page was fetched; -1 before such a row).
 */
@Internal
public final class HogQLSourceMetrics {
    /** The value of {@code currentFetchEventTimeLag} before a row with an event time. */
    static final long UNDEFINED_LAG = -1;

    private final Counter polls = new SimpleCounter();
    private final Counter failedPolls = new SimpleCounter();
    private final Counter rowsFetched = new SimpleCounter();
    private final Counter lateRowChecks = new SimpleCounter();
    private final Counter lateRows = new SimpleCounter();
    private final AtomicLong consecutiveFailedPolls = new AtomicLong();
    private final AtomicLong lastSuccessfulPollTime = new AtomicLong();
    private final AtomicLong pendingRecords = new AtomicLong();
    private volatile long fetchEventTimeLag = UNDEFINED_LAG;
    private Counter bytesIn = new SimpleCounter();

    HogQLSourceMetrics() {}

    /**
     * Registers the metrics in the reader's group; {@code incremental}: whether rows carry a cursor
     * (an event time when it is a date-time).
     */
    static HogQLSourceMetrics register(SourceReaderMetricGroup reader, boolean incremental) {
        HogQLSourceMetrics m = new HogQLSourceMetrics();
        MetricGroup group = PostHogMetricGroups.of(reader, PostHogMetricGroups.HOGQL);
        group.counter("polls", m.polls);
        group.counter("failedPolls", m.failedPolls);
        group.counter("rowsFetched", m.rowsFetched);
        group.counter("lateRowChecks", m.lateRowChecks);
        group.counter("lateRows", m.lateRows);
        group.gauge("consecutiveFailedPolls", (Gauge<Long>) m.consecutiveFailedPolls::get);
        group.gauge("lastSuccessfulPollTime", (Gauge<Long>) m.lastSuccessfulPollTime::get);
        m.bytesIn = reader.getIOMetricGroup().getNumBytesInCounter();
        reader.setPendingRecordsGauge(m.pendingRecords::get);
        if (incremental) {
            reader.gauge(
                    MetricNames.CURRENT_FETCH_EVENT_TIME_LAG,
                    (Gauge<Long>) () -> m.fetchEventTimeLag);
        }
        return m;
    }

    /**
     * An answer of {@code bytes} bytes was read (a poll's or a late-row check's; fetcher thread).
     */
    void answerRead(long bytes) {
        bytesIn.inc(bytes);
    }

    void succeeded(long epochMillis, int rows) {
        polls.inc();
        rowsFetched.inc(rows);
        consecutiveFailedPolls.set(0);
        lastSuccessfulPollTime.set(epochMillis);
    }

    /** {@code records} records were handed to the task thread (fetcher thread). */
    void fetched(int records) {
        pendingRecords.addAndGet(records);
    }

    /** A record was emitted (task thread). */
    void emitted() {
        pendingRecords.decrementAndGet();
    }

    /** The last fetched row's event time was {@code lagMillis} before it was fetched. */
    void fetchEventTimeLag(long lagMillis) {
        fetchEventTimeLag = lagMillis;
    }

    void lateRowCheck(long found) {
        lateRowChecks.inc();
        lateRows.inc(found);
    }

    void failed() {
        polls.inc();
        failedPolls.inc();
        consecutiveFailedPolls.incrementAndGet();
    }

    public long polls() {
        return polls.getCount();
    }

    public long failedPolls() {
        return failedPolls.getCount();
    }

    public long rowsFetched() {
        return rowsFetched.getCount();
    }

    public long lateRowChecks() {
        return lateRowChecks.getCount();
    }

    public long lateRows() {
        return lateRows.getCount();
    }

    public long consecutiveFailedPolls() {
        return consecutiveFailedPolls.get();
    }

    public long lastSuccessfulPollTime() {
        return lastSuccessfulPollTime.get();
    }
}
