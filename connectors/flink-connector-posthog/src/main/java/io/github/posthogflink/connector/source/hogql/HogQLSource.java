package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.lineage.PostHogLineage;

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
import org.apache.flink.streaming.api.lineage.DefaultTypeDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageUtils;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.flink.streaming.api.lineage.SourceLineageVertex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FLIP-27 source of HogQL query results: periodic snapshots (for joins) or incremental pages of
 * events ordered by a cursor, checkpointed so that a restart resumes exactly. One split per query,
 * polled by one reader; a bounded incremental read with {@link HogQLSourceBuilder#timeSlices} has
 * one split per time slice, read in parallel. Build with {@link #builder()}.
 *
 * <pre>{@code
 * HogQLSource<Row> source = HogQLSource.<Row>builder()
 *         .client(config)
 *         .incremental("uuid, timestamp, event, distinct_id", "events")
 *         .deserializer(HogQLRowDeserializer.row())
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "posthog events");
 * }</pre>
 *
 * <p>In Flink's lineage graph it reads, in the namespace of the API host, the dataset {@code
 * projects/<id>/<table>} of an incremental query, or {@code projects/<id>/<query>} of a snapshot
 * (without {@code projects/<id>/} when no project id is configured).
 */
@PublicEvolving
public final class HogQLSource<T>
        implements Source<T, HogQLSplit, HogQLEnumState>,
                ResultTypeQueryable<T>,
                LineageVertexProvider {
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
        return new HogQLEnumerator(context, this::initialSplits, null);
    }

    @Override
    public SplitEnumerator<HogQLSplit, HogQLEnumState> restoreEnumerator(
            SplitEnumeratorContext<HogQLSplit> context, HogQLEnumState checkpoint) {
        return new HogQLEnumerator(context, this::initialSplits, checkpoint);
    }

    /** The splits at job start: the time slices of a sliced read, else {@link #initialSplit()}. */
    List<HogQLSplit> initialSplits() {
        return options.sliced() ? HogQLSlices.plan(options) : List.of(initialSplit());
    }

    /** The split at job start: cursor at the start timestamp, the bound "now" if bounded. */
    HogQLSplit initialSplit() {
        boolean incremental = options.mode() == HogQLMode.INCREMENTAL;
        return new HogQLSplit(
                "hogql-" + options.queryName(),
                incremental ? options.startTimestamp().toString() : null,
                incremental ? HogQLQueries.NIL_UUID : null,
                0,
                incremental && options.bounded() ? boundedEnd().toString() : null,
                options.changelog() ? new LinkedHashMap<>() : null);
    }

    private java.time.Instant boundedEnd() {
        return options.endTimestamp() != null ? options.endTimestamp() : options.clock().instant();
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
        HogQLSourceMetrics metrics =
                HogQLSourceMetrics.register(
                        context.metricGroup(), options.mode() == HogQLMode.INCREMENTAL);
        return new HogQLSourceReader<>(options, deserializer, context, metrics);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    /**
     * The HogQL an incremental read sends for each page (its {@code {phf_…}} placeholders carry the
     * cursor, the range's end and the page size), e.g. for {@code EXPLAIN}.
     */
    public static String incrementalQueryText(
            String select,
            String from,
            @javax.annotation.Nullable String where,
            String cursorColumn,
            String tieBreakerColumn) {
        return HogQLQueries.incrementalText(
                new HogQLSourceOptions.IncrementalQuery(
                        select, from, where, cursorColumn, tieBreakerColumn));
    }

    @Override
    public SourceLineageVertex getLineageVertex() {
        PostHogClientConfig client = options.client();
        boolean incremental = options.mode() == HogQLMode.INCREMENTAL;
        String read = incremental ? options.incremental().from() : options.snapshotQuery();
        return LineageUtils.sourceLineageVertexOf(
                getBoundedness(),
                PostHogLineage.dataset(
                        PostHogLineage.namespace(client.apiHost()),
                        PostHogLineage.name(client.projectId(), read),
                        Map.of("mode", options.mode().name(), "queryName", options.queryName()),
                        new DefaultTypeDatasetFacet(getProducedType())));
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
