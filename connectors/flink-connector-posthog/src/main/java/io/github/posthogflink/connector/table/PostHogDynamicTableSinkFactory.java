package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import java.util.HashSet;
import java.util.Set;

import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_API_KEY;
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
 * Factory of the {@code posthog} table sink:
 *
 * <pre>{@code
 * CREATE TABLE posthog_events (
 *   event STRING, distinct_id STRING, properties MAP<STRING, STRING>,
 *   `timestamp` TIMESTAMP_LTZ(3), uuid STRING
 * ) WITH ('connector' = 'posthog', 'host' = 'https://eu.i.posthog.com',
 *         'project-api-key' = '${POSTHOG_PROJECT_API_KEY}');
 * }</pre>
 */
@PublicEvolving
public final class PostHogDynamicTableSinkFactory implements DynamicTableSinkFactory {

    public static final String IDENTIFIER = "posthog";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        // The key option too under credentials.provider = INLINE (checked on creation).
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostHogTableConfigs.commonOptions());
        options.addAll(
                Set.of(
                        SINK_BATCH_MAX_SIZE,
                        SINK_REQUESTS_MAX_INFLIGHT,
                        SINK_REQUESTS_MAX_BUFFERED,
                        SINK_FLUSH_BUFFER_SIZE,
                        SINK_FLUSH_BUFFER_TIMEOUT,
                        SINK_MAX_RECORD_SIZE,
                        SINK_HISTORICAL_MIGRATION,
                        SINK_GZIP,
                        SINK_CAPTURE_ENDPOINT,
                        EnumOptions.lenient(SINK_ERROR_HANDLING),
                        SINK_DELIVERY_TIMEOUT,
                        SINK_MAX_RETRIES,
                        SINK_RETRY_BACKOFF_INITIAL,
                        SINK_RETRY_BACKOFF_MAX,
                        SINK_DEAD_LETTER_PATH,
                        FactoryUtil.SINK_PARALLELISM));
        return options;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        PostHogTableConfigs.requireKey(options, PROJECT_API_KEY);
        PostHogClientConfig clientConfig = PostHogTableConfigs.clientConfig(options);
        PostHogTableConfigs.requirePositive(options, SINK_BATCH_MAX_SIZE);
        PostHogTableConfigs.requirePositive(options, SINK_REQUESTS_MAX_INFLIGHT);
        PostHogTableConfigs.requirePositive(options, SINK_REQUESTS_MAX_BUFFERED);
        if (options.get(SINK_REQUESTS_MAX_BUFFERED) <= options.get(SINK_BATCH_MAX_SIZE)) {
            throw new ValidationException(
                    "Option '"
                            + SINK_REQUESTS_MAX_BUFFERED.key()
                            + "' must be greater than '"
                            + SINK_BATCH_MAX_SIZE.key()
                            + "'.");
        }
        RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
        SinkRowLayout layout = SinkRowLayout.of(rowType);
        PostHogDynamicTableSink sink =
                new PostHogDynamicTableSink(
                        layout,
                        clientConfig,
                        options,
                        options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null));
        try {
            sink.buildSink();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ValidationException("Invalid posthog sink options: " + e.getMessage(), e);
        }
        return sink;
    }
}
