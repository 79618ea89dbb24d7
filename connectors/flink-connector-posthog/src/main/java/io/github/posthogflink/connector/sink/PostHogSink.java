package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.lineage.PostHogLineage;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.lineage.LineageUtils;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
 *
 * <p>In Flink's lineage graph it writes the dataset {@code projects/<id>/events} (or {@code events}
 * without a project id) in the namespace of the capture host.
 */
@PublicEvolving
public class PostHogSink<T> extends AsyncSinkBase<T, PostHogRequestEntry>
        implements LineageVertexProvider {
    private static final long serialVersionUID = 1L;

    /** Added to twice the writer's request timeout for AsyncSink's own, which never fires first. */
    private static final long BACKSTOP_TIMEOUT_MS = 60_000;

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
        CaptureRateLimitingStrategy rateLimiting = rateLimitingStrategy();
        return new PostHogSinkWriter<>(
                getElementConverter(),
                context,
                writerConfiguration(rateLimiting),
                recoveredState,
                settings,
                rateLimiting,
                Duration.ofMillis(getRequestTimeoutMS()));
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<PostHogRequestEntry>>
            getWriterStateSerializer() {
        return new PostHogRequestEntrySerializer();
    }

    CaptureRateLimitingStrategy rateLimitingStrategy() {
        return new CaptureRateLimitingStrategy(
                getMaxBatchSize(),
                getMaxInFlightRequests(),
                settings.rateIncrease(),
                settings.rateDecreaseFactor());
    }

    AsyncSinkWriterConfiguration writerConfiguration() {
        return writerConfiguration(rateLimitingStrategy());
    }

    /**
     * AsyncSink's configuration. Its request timeout is only a backstop: the writer times requests
     * out itself (at {@code requestTimeoutMS}) so that it can ignore a late answer.
     */
    AsyncSinkWriterConfiguration writerConfiguration(CaptureRateLimitingStrategy rateLimiting) {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(2 * getRequestTimeoutMS() + BACKSTOP_TIMEOUT_MS)
                .setFailOnTimeout(false)
                .setRateLimitingStrategy(rateLimiting)
                .build();
    }

    PostHogSinkSettings settings() {
        return settings;
    }

    @Override
    public LineageVertex getLineageVertex() {
        PostHogClientConfig client = settings.clientConfig();
        return LineageUtils.lineageVertexOf(
                PostHogLineage.dataset(
                        PostHogLineage.namespace(client.host()),
                        PostHogLineage.name(client.projectId(), "events"),
                        Map.of(
                                "endpoint", settings.captureEndpoint().path(),
                                "historicalMigration",
                                        String.valueOf(settings.historicalMigration()))));
    }
}
