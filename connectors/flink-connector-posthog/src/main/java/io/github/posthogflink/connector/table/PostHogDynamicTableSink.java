package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.sink.CaptureEndpoint;
import io.github.posthogflink.connector.sink.PostHogSink;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;
import io.github.posthogflink.connector.sink.PostHogSinkErrorHandler;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_BATCH_MAX_SIZE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_CAPTURE_ENDPOINT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_DEAD_LETTER_PATH;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_DELIVERY_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_ERROR_HANDLING;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_FLUSH_BUFFER_SIZE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_FLUSH_BUFFER_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_GZIP;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_HISTORICAL_MIGRATION;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_MAX_RECORD_SIZE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_MAX_RETRIES;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_REQUESTS_MAX_BUFFERED;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_REQUESTS_MAX_INFLIGHT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_RETRY_BACKOFF_INITIAL;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.SINK_RETRY_BACKOFF_MAX;

/**
 * The {@code posthog} table sink: an insert-only table whose rows become capture events, written by
 * {@link PostHogSink}.
 */
final class PostHogDynamicTableSink implements DynamicTableSink {

    private final SinkRowLayout layout;
    private final PostHogClientConfig clientConfig;
    private final ReadableConfig options;
    @Nullable private final Integer parallelism;

    PostHogDynamicTableSink(
            SinkRowLayout layout,
            PostHogClientConfig clientConfig,
            ReadableConfig options,
            @Nullable Integer parallelism) {
        this.layout = layout;
        this.clientConfig = clientConfig;
        this.options = options;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.insertOnly();
    }

    private PostHogSinkErrorHandler errorHandler() {
        return switch (EnumOptions.get(options, SINK_ERROR_HANDLING)) {
            case FAIL -> PostHogSinkErrorHandler.failJob();
            case LOG_AND_CONTINUE -> PostHogSinkErrorHandler.logAndContinue();
            case DEAD_LETTER_FILES ->
                    PostHogSinkErrorHandler.deadLetterFiles(
                            options.getOptional(SINK_DEAD_LETTER_PATH)
                                    .orElseThrow(
                                            () ->
                                                    new IllegalArgumentException(
                                                            "'sink.error-handling' ="
                                                                    + " 'DEAD_LETTER_FILES' needs"
                                                                    + " 'sink.dead-letter.path'")));
        };
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(buildSink(), parallelism);
    }

    PostHogSink<RowData> buildSink() {
        PostHogSinkBuilder<RowData> builder =
                PostHogSink.<RowData>builder()
                        .setClientConfig(clientConfig)
                        .setConverter(new RowDataEventConverter(layout))
                        .setHistoricalMigration(options.get(SINK_HISTORICAL_MIGRATION))
                        .setCaptureEndpoint(options.get(SINK_CAPTURE_ENDPOINT))
                        .setGzip(options.get(SINK_GZIP))
                        .setErrorHandler(errorHandler())
                        .setMaxInFlightRequests(options.get(SINK_REQUESTS_MAX_INFLIGHT))
                        .setMaxBufferedRequests(options.get(SINK_REQUESTS_MAX_BUFFERED))
                        .setMaxBatchSizeInBytes(options.get(SINK_FLUSH_BUFFER_SIZE).getBytes())
                        .setMaxTimeInBufferMS(options.get(SINK_FLUSH_BUFFER_TIMEOUT).toMillis())
                        .setMaxRecordSizeInBytes(options.get(SINK_MAX_RECORD_SIZE).getBytes())
                        .setDeliveryTimeout(options.get(SINK_DELIVERY_TIMEOUT))
                        .setRetryBackoff(
                                options.get(SINK_RETRY_BACKOFF_INITIAL),
                                options.get(SINK_RETRY_BACKOFF_MAX));
        options.getOptional(SINK_MAX_RETRIES).ifPresent(builder::setMaxRetries);
        if (options.get(SINK_CAPTURE_ENDPOINT) == CaptureEndpoint.BATCH
                || options.getOptional(SINK_BATCH_MAX_SIZE).isPresent()) {
            builder.setMaxBatchSize(options.get(SINK_BATCH_MAX_SIZE));
        }
        return builder.build();
    }

    @Override
    public DynamicTableSink copy() {
        return new PostHogDynamicTableSink(layout, clientConfig, options, parallelism);
    }

    @Override
    public String asSummaryString() {
        return "PostHog";
    }
}
