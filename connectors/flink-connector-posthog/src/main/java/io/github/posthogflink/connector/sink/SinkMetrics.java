package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's metrics. In the group {@code posthog.sink} of the writer: counters {@code eventsSent},
 * {@code bytesSentRaw}, {@code bytesSentCompressed}, {@code requests}, {@code eventsRejected},
 * {@code retries.<cause>} (causes: {@code http_5xx}, {@code http_429}, {@code http_408}, {@code
 * timeout}, {@code connection}) and the gauge {@code pendingEvents} (events the writer holds,
 * buffered or in flight, not yet delivered or rejected). In the writer's group, Flink's standard
 * {@code numRecordsSendErrors} counts every event of a failed attempt (each retry again, as
 * flink-connector-aws counts them) and every rejected event; AsyncSinkWriter's {@code
 * currentSendTime} is the time of the last request. The {@code posthog.sink} counters are
 * thread-safe (HTTP threads update them); {@code numRecordsSendErrors} is counted on the task
 * thread.
 */
final class SinkMetrics {
    static final List<String> RETRY_CAUSES =
            List.of("http_5xx", "http_429", "http_408", "timeout", "connection");

    final Counter eventsSent;
    final Counter bytesSentRaw;
    final Counter bytesSentCompressed;
    final Counter requests;
    final Counter eventsRejected;
    private final Counter sendErrors;
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();

    /** Written by the task thread only ({@link #pending}), read by the metric reporters. */
    private final AtomicLong pendingEvents = new AtomicLong();

    SinkMetrics(SinkWriterMetricGroup writerGroup) {
        this.sendErrors = writerGroup.getNumRecordsSendErrorsCounter();
        MetricGroup group = PostHogMetricGroups.of(writerGroup, PostHogMetricGroups.SINK);
        this.eventsSent = group.counter("eventsSent", new ThreadSafeSimpleCounter());
        this.bytesSentRaw = group.counter("bytesSentRaw", new ThreadSafeSimpleCounter());
        this.bytesSentCompressed =
                group.counter("bytesSentCompressed", new ThreadSafeSimpleCounter());
        this.requests = group.counter("requests", new ThreadSafeSimpleCounter());
        this.eventsRejected = group.counter("eventsRejected", new ThreadSafeSimpleCounter());
        MetricGroup retryGroup = group.addGroup("retries");
        for (String cause : RETRY_CAUSES) {
            retries.put(cause, retryGroup.counter(cause, new ThreadSafeSimpleCounter()));
        }
        group.gauge("pendingEvents", (Gauge<Long>) pendingEvents::get);
    }

    /**
     * Events the writer holds went up or down by {@code delta}; task thread only, so a plain add
     * published with release semantics is enough (no atomic read-modify-write per event).
     */
    void pending(long delta) {
        pendingEvents.setRelease(pendingEvents.getPlain() + delta);
    }

    /** An event was refused (by PostHog or before sending); task thread. */
    void rejected() {
        eventsRejected.inc();
        sendErrors.inc();
    }

    /**
     * An attempt of {@code events} events failed and will be retried (or gives up); task thread.
     */
    void failedAttempt(String cause, int events) {
        Counter counter = retries.get(cause);
        (counter != null ? counter : retries.get("connection")).inc();
        sendErrors.inc(events);
    }
}
