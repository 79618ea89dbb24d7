package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.LinkedHashMap;

/**
 * A FLIP-27 source of HogQL query results: periodic snapshots (for joins) or incremental pages of
 * events ordered by a cursor, checkpointed so that a restart resumes exactly. One split per query;
 * one reader polls it. Build with {@link #builder()}.
 *
 * <pre>{@code
 * HogQLSource<Row> source = HogQLSource.<Row>builder()
 *         .client(config)
 *         .incremental("uuid, timestamp, event, distinct_id", "events")
 *         .deserializer(HogQLRowDeserializer.row())
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "posthog events");
 * }</pre>
 */
@PublicEvolving
public final class HogQLSource<T>
        implements Source<T, HogQLSplit, HogQLEnumState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final HogQLSourceOptions options;
    private final HogQLRowDeserializer<T> deserializer;

    HogQLSource(HogQLSourceOptions options, HogQLRowDeserializer<T> deserializer) {
        this.options = options;
        this.deserializer = deserializer;
    }

    public static <T> HogQLSourceBuilder<T> builder() {
        return new HogQLSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<HogQLSplit, HogQLEnumState> createEnumerator(
            SplitEnumeratorContext<HogQLSplit> context) {
        return new HogQLEnumerator(context, this::initialSplit, null);
    }

    @Override
    public SplitEnumerator<HogQLSplit, HogQLEnumState> restoreEnumerator(
            SplitEnumeratorContext<HogQLSplit> context, HogQLEnumState checkpoint) {
        return new HogQLEnumerator(context, this::initialSplit, checkpoint);
    }

    /** The split at job start: cursor at the start timestamp, the bound "now" if bounded. */
    HogQLSplit initialSplit() {
        boolean incremental = options.mode() == HogQLMode.INCREMENTAL;
        return new HogQLSplit(
                "hogql-" + options.queryName(),
                incremental ? options.startTimestamp().toString() : null,
                incremental ? HogQLQueries.NIL_UUID : null,
                0,
                incremental && options.bounded() ? options.clock().instant().toString() : null,
                options.changelog() ? new LinkedHashMap<>() : null);
    }

    @Override
    public SimpleVersionedSerializer<HogQLSplit> getSplitSerializer() {
        return HogQLSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<HogQLEnumState> getEnumeratorCheckpointSerializer() {
        return new HogQLEnumStateSerializer();
    }

    @Override
    public SourceReader<T, HogQLSplit> createReader(SourceReaderContext context) {
        HogQLSourceMetrics metrics = HogQLSourceMetrics.register(context.metricGroup());
        return new HogQLSourceReader<>(options, deserializer, context, metrics);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    /** The mode the source was built for. */
    public HogQLMode mode() {
        return options.mode();
    }

    HogQLSourceOptions options() {
        return options;
    }

    HogQLRowDeserializer<T> deserializer() {
        return deserializer;
    }
}
