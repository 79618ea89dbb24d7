package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The no-op baseline: builds each element's event exactly as the PostHog sink's converter does,
 * then discards it. What the PostHog sink costs on top is serialization, batching, gzip and HTTP.
 */
final class DiscardingEventSink implements Sink<Long> {
    private static final long serialVersionUID = 1L;

    static volatile Object blackhole;

    @Override
    public SinkWriter<Long> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            private long checksum;
            private long lastWrite;

            @Override
            public void write(Long id, Context context) {
                PostHogEvent event = BenchEvents.event(id);
                checksum += event.properties().size();
                lastWrite = System.nanoTime();
            }

            @Override
            public void flush(boolean endOfInput) {
                blackhole = checksum;
            }

            @Override
            public void close() {
                blackhole = checksum;
                BenchEvents.LAST_DISCARDED_NANOS.accumulateAndGet(lastWrite, Math::max);
            }
        };
    }
}
