package io.github.posthogflink.connector.sink;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's metrics, in the writer's metric group: {@code eventsSent}, {@code bytesSentRaw},
 * {@code bytesSentCompressed}, {@code requests}, {@code eventsRejected}, {@code retries.<cause>}
 * (causes: {@code http_5xx}, {@code http_429}, {@code http_408}, {@code timeout}, {@code
 * connection}) and the gauges {@code currentSendLatency} (ms of the last response) and {@code
 * pendingEvents} (events the writer holds, buffered or in flight, not yet delivered or rejected).
 * Counters are thread-safe: HTTP threads update them.
 */
final class SinkMetrics {
    static final List<String> RETRY_CAUSES =
            List.of("http_5xx", "http_429", "http_408", "timeout", "connection");

    final Counter eventsSent;
    final Counter bytesSentRaw;
    final Counter bytesSentCompressed;
    final Counter requests;
    final Counter eventsRejected;
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final MetricGroup retryGroup;
    final AtomicLong pendingEvents = new AtomicLong();
    private volatile long lastLatencyMs;

    SinkMetrics(MetricGroup group) {
        this.eventsSent = group.counter("eventsSent", new ThreadSafeSimpleCounter());
        this.bytesSentRaw = group.counter("bytesSentRaw", new ThreadSafeSimpleCounter());
        this.bytesSentCompressed =
                group.counter("bytesSentCompressed", new ThreadSafeSimpleCounter());
        this.requests = group.counter("requests", new ThreadSafeSimpleCounter());
        this.eventsRejected = group.counter("eventsRejected", new ThreadSafeSimpleCounter());
        this.retryGroup = group.addGroup("retries");
        for (String cause : RETRY_CAUSES) {
            retries.put(cause, retryGroup.counter(cause, new ThreadSafeSimpleCounter()));
        }
        group.<Long, org.apache.flink.metrics.Gauge<Long>>gauge(
                "currentSendLatency", () -> lastLatencyMs);
        group.<Long, org.apache.flink.metrics.Gauge<Long>>gauge(
                "pendingEvents", pendingEvents::get);
    }

    void retried(String cause) {
        Counter counter = retries.get(cause);
        (counter != null ? counter : retries.get("connection")).inc();
    }

    long retries(String cause) {
        return retries.get(cause).getCount();
    }

    void latency(long nanos) {
        lastLatencyMs = nanos / 1_000_000;
    }
}
