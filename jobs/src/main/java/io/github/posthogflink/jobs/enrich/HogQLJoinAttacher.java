package io.github.posthogflink.jobs.enrich;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.source.hogql.BufferOverflowPolicy;
import io.github.posthogflink.connector.source.hogql.HogQLJoin;
import io.github.posthogflink.connector.source.hogql.HogQLRow;
import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;
import io.github.posthogflink.connector.source.hogql.HogQLSource;
import io.github.posthogflink.connector.source.hogql.SnapshotRow;
import io.github.posthogflink.jobs.pipeline.PipelineEvent;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Joins each event with the row of a HogQL query whose join column equals its distinct id (a left
 * join, through the connector's {@link HogQLJoin}); the row's other columns become event properties
 * under their column names. A bounded pipeline takes one snapshot, and events wait for it before
 * they are joined; an unbounded one re-runs the query every poll interval.
 */
public final class HogQLJoinAttacher {
    /** Events held per join instance until the first snapshot is complete. */
    static final int BUFFER_SIZE = 200_000;

    private HogQLJoinAttacher() {}

    public static DataStream<PipelineEvent> attach(
            DataStream<PipelineEvent> events,
            PostHogClientConfig client,
            String query,
            String keyColumn,
            Duration pollInterval,
            boolean bounded) {
        HogQLSource<SnapshotRow<JoinRow>> snapshots =
                HogQLSource.<SnapshotRow<JoinRow>>builder()
                        .client(client)
                        .snapshot(query)
                        // paged by the join key: a result of any size, no LIMIT needed
                        .pageSnapshotBy(keyColumn)
                        .pollInterval(pollInterval)
                        .bounded(bounded)
                        .deserializer(
                                HogQLJoin.snapshotRows(
                                        HogQLRowDeserializer.mapping(
                                                row -> toJoinRow(row, keyColumn),
                                                TypeInformation.of(JoinRow.class))))
                        .build();
        // The snapshot source is added here rather than by the join, so it gets a uid too.
        DataStream<SnapshotRow<JoinRow>> rows =
                events.getExecutionEnvironment()
                        .fromSource(
                                snapshots, WatermarkStrategy.noWatermarks(), "hogql-join-snapshots")
                        .setParallelism(1)
                        .uid("hogql-join-snapshots");
        DataStream<PipelineEvent> joined =
                HogQLJoin.<PipelineEvent, JoinRow, String, PipelineEvent>builder()
                        .events(events, PipelineEvent::distinctId)
                        .lookup(rows, JoinRow::key, Types.STRING)
                        .join(HogQLJoinAttacher::join)
                        .outputType(TypeInformation.of(PipelineEvent.class))
                        .bufferSize(BUFFER_SIZE)
                        .whenBufferFull(BufferOverflowPolicy.FAIL)
                        .name("hogql-join")
                        .build();
        return ((SingleOutputStreamOperator<PipelineEvent>) joined).uid("hogql-join");
    }

    static JoinRow toJoinRow(HogQLRow row, String keyColumn) {
        List<String> columns = row.schema().columns();
        if (!columns.contains(keyColumn)) {
            throw new IllegalArgumentException(
                    "--hogql-join-key " + keyColumn + " is not a column of the query: " + columns);
        }
        ObjectNode values = Json.MAPPER.createObjectNode();
        Object key = null;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equals(keyColumn)) {
                key = row.value(i);
            } else {
                values.set(columns.get(i), Json.MAPPER.valueToTree(row.value(i)));
            }
        }
        return new JoinRow(key == null ? "" : String.valueOf(key), values.toString());
    }

    static PipelineEvent join(PipelineEvent event, JoinRow row) {
        if (row == null) {
            return event;
        }
        ObjectNode json = JsonEvents.parse(event.json());
        ObjectNode properties = JsonEvents.properties(json);
        JsonNode columns = JsonEvents.parse(row.columnsJson());
        Iterator<Map.Entry<String, JsonNode>> fields = columns.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            properties.set(field.getKey(), field.getValue());
        }
        return event.withJson(json.toString());
    }
}
