package io.github.posthogflink.benchmarks;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;

/**
 * PostHog's JVM SDK ({@code com.posthog:posthog-server}) used as a Flink user would: a Sink V2
 * writer that calls {@code capture} per element and {@code flush()} when Flink flushes the writer
 * (on every checkpoint and at the end of input), and closes the client with the writer.
 */
final class PostHogSdkSink implements Sink<Long> {
    private static final long serialVersionUID = 1L;

    /** The SDK's own flush settings; {@code null} keeps its defaults. */
    record Tuning(int flushAt, int maxBatchSize, int maxQueueSize)
            implements java.io.Serializable {}

    private final String host;
    private final String apiKey;
    private final Tuning tuning;

    PostHogSdkSink(String host, String apiKey, Tuning tuning) {
        this.host = host;
        this.apiKey = apiKey;
        this.tuning = tuning;
    }

    @Override
    public SinkWriter<Long> createWriter(WriterInitContext context) {
        PostHogConfig.Builder config = new PostHogConfig.Builder(apiKey).host(host);
        if (tuning != null) {
            config.flushAt(tuning.flushAt())
                    .maxBatchSize(tuning.maxBatchSize())
                    .maxQueueSize(tuning.maxQueueSize());
        }
        return new Writer(PostHog.with(config.build()));
    }

    private static final class Writer implements SinkWriter<Long> {
        private final PostHogInterface posthog;

        Writer(PostHogInterface posthog) {
            this.posthog = posthog;
        }

        @Override
        public void write(Long id, Context context) {
            posthog.capture(
                    BenchEvents.distinctId(id),
                    BenchEvents.EVENT,
                    new PostHogCaptureOptions.Builder()
                            .property("order_id", id)
                            .property("amount", BenchEvents.amount(id))
                            .property("currency", "EUR")
                            .property("plan", BenchEvents.plan(id))
                            .property("items", BenchEvents.items(id))
                            .timestamp(BenchEvents.timestamp(id))
                            .build());
        }

        @Override
        public void flush(boolean endOfInput) {
            posthog.flush();
        }

        @Override
        public void close() {
            posthog.close();
        }
    }
}
