package io.github.posthogflink.connector.sink;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.connector.base.sink.writer.strategy.AIMDScalingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.CongestionControlRateLimitingStrategy;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.Collection;
import java.util.List;

/**
 * An at-least-once, idempotent sink for PostHog's capture API ({@code /batch/}), on Flink's
 * AsyncSink. Buffered events are flushed on checkpoints and kept in state; every event carries a
 * stable uuid, so PostHog collapses the copies a retry or a restart sends. Build it with {@link
 * #builder()}:
 *
 * <pre>{@code
 * PostHogSink<PostHogEvent> sink = PostHogSink.<PostHogEvent>builder()
 *         .setHost("https://eu.i.posthog.com")
 *         .setProjectApiKey(phc)
 *         .setConverter(PostHogEventConverters.events())
 *         .setEventIdentity(e -> e.properties().get("order_id").toString())
 *         .build();
 * stream.sinkTo(sink);
 * }</pre>
 */
public class PostHogSink<T> extends AsyncSinkBase<T, PostHogRequestEntry> {
    private static final long serialVersionUID = 1L;

    private final PostHogSinkSettings settings;

    PostHogSink(
            ElementConverter<T, PostHogRequestEntry> elementConverter,
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMS,
            long maxRecordSizeInBytes,
            long requestTimeoutMS,
            PostHogSinkSettings settings) {
        super(
                elementConverter,
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMS,
                maxRecordSizeInBytes,
                requestTimeoutMS,
                false);
        this.settings = settings;
    }

    public static <T> PostHogSinkBuilder<T> builder() {
        return new PostHogSinkBuilder<>();
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<PostHogRequestEntry>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<PostHogRequestEntry>> restoreWriter(
            WriterInitContext context,
            Collection<BufferedRequestState<PostHogRequestEntry>> recoveredState) {
        return new PostHogSinkWriter<>(
                getElementConverter(), context, writerConfiguration(), recoveredState, settings);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<PostHogRequestEntry>>
            getWriterStateSerializer() {
        return new PostHogRequestEntrySerializer();
    }

    AsyncSinkWriterConfiguration writerConfiguration() {
        int maxBatch = getMaxBatchSize();
        int maxInFlight = getMaxInFlightRequests();
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(maxBatch)
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(maxInFlight)
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(false)
                .setRateLimitingStrategy(
                        CongestionControlRateLimitingStrategy.builder()
                                .setMaxInFlightRequests(maxInFlight)
                                .setInitialMaxInFlightMessages(maxBatch * maxInFlight)
                                .setScalingStrategy(
                                        AIMDScalingStrategy.builder(maxBatch * maxInFlight)
                                                .setIncreaseRate(settings.rateIncrease())
                                                .setDecreaseFactor(settings.rateDecreaseFactor())
                                                .build())
                                .build())
                .build();
    }

    PostHogSinkSettings settings() {
        return settings;
    }
}
