package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A source's poll health: {@code polls}, {@code failedPolls}, {@code rowsFetched}, the gauges
 * {@code consecutiveFailedPolls} and {@code lastSuccessfulPollTime} (epoch ms, 0 before the first),
 * and for unbounded incremental reads {@code lateRowChecks} and {@code lateRows} (rows that turned
 * up behind the cursor and were never emitted; see {@link LateRows}).
 */
@Internal
public final class HogQLSourceMetrics {
    private final Counter polls = new SimpleCounter();
    private final Counter failedPolls = new SimpleCounter();
    private final Counter rowsFetched = new SimpleCounter();
    private final Counter lateRowChecks = new SimpleCounter();
    private final Counter lateRows = new SimpleCounter();
    private final AtomicLong consecutiveFailedPolls = new AtomicLong();
    private final AtomicLong lastSuccessfulPollTime = new AtomicLong();

    HogQLSourceMetrics() {}

    /** Registers the metrics under {@code hogql} in the group. */
    static HogQLSourceMetrics register(MetricGroup parent) {
        HogQLSourceMetrics m = new HogQLSourceMetrics();
        MetricGroup group = parent.addGroup("hogql");
        group.counter("polls", m.polls);
        group.counter("failedPolls", m.failedPolls);
        group.counter("rowsFetched", m.rowsFetched);
        group.counter("lateRowChecks", m.lateRowChecks);
        group.counter("lateRows", m.lateRows);
        group.gauge("consecutiveFailedPolls", m.consecutiveFailedPolls::get);
        group.gauge("lastSuccessfulPollTime", m.lastSuccessfulPollTime::get);
        return m;
    }

    void succeeded(long epochMillis, int rows) {
        polls.inc();
        rowsFetched.inc(rows);
        consecutiveFailedPolls.set(0);
        lastSuccessfulPollTime.set(epochMillis);
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
