package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.api.common.functions.JoinFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins events with the latest complete snapshot held in broadcast state. Rows of a new version
 * collect in a pending map and replace the current snapshot when the version's last row arrives.
 * Events that come before the first complete snapshot wait in a bounded, checkpointed buffer.
 */
final class SnapshotJoinFunction<E, L, K, O> extends BroadcastProcessFunction<E, SnapshotRow<L>, O>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final String VERSION = "version";
    private static final String PENDING_VERSION = "pendingVersion";
    private static final String RECEIVED = "received";

    private final KeySelector<E, K> eventKey;
    private final KeySelector<L, K> lookupKey;
    private final JoinFunction<E, L, O> join;
    private final int bufferSize;
    private final BufferOverflowPolicy overflowPolicy;
    private final TypeInformation<E> eventType;
    final MapStateDescriptor<K, L> current;
    final MapStateDescriptor<K, L> pending;
    final MapStateDescriptor<String, Long> meta;

    private transient List<E> buffer;
    private transient ListState<E> bufferState;
    private transient Counter unjoinedOnOverflow;

    SnapshotJoinFunction(
            KeySelector<E, K> eventKey,
            KeySelector<L, K> lookupKey,
            JoinFunction<E, L, O> join,
            int bufferSize,
            BufferOverflowPolicy overflowPolicy,
            TypeInformation<E> eventType,
            TypeInformation<K> keyType,
            TypeInformation<L> rowType) {
        this.eventKey = eventKey;
        this.lookupKey = lookupKey;
        this.join = join;
        this.bufferSize = bufferSize;
        this.overflowPolicy = overflowPolicy;
        this.eventType = eventType;
        this.current = new MapStateDescriptor<>("hogql-snapshot", keyType, rowType);
        this.pending = new MapStateDescriptor<>("hogql-snapshot-pending", keyType, rowType);
        this.meta = new MapStateDescriptor<>("hogql-snapshot-meta", Types.STRING, Types.LONG);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics =
                PostHogMetricGroups.of(
                        getRuntimeContext().getMetricGroup(), PostHogMetricGroups.JOIN);
        unjoinedOnOverflow = metrics.counter("unjoinedOnOverflow");
        metrics.gauge("bufferedEvents", () -> buffer == null ? 0 : buffer.size());
    }

    @Override
    public void processElement(E event, ReadOnlyContext ctx, Collector<O> out) throws Exception {
        if (ctx.getBroadcastState(meta).get(VERSION) != null) {
            out.collect(
                    join.join(event, ctx.getBroadcastState(current).get(eventKey.getKey(event))));
            return;
        }
        if (buffer.size() < bufferSize) {
            buffer.add(event);
            return;
        }
        if (overflowPolicy == BufferOverflowPolicy.FAIL) {
            throw new IllegalStateException(
                    "HogQLJoin: "
                            + bufferSize
                            + " events are waiting for the first HogQL snapshot and the buffer is"
                            + " full; raise bufferSize or choose EMIT_UNJOINED");
        }
        unjoinedOnOverflow.inc();
        out.collect(join.join(event, null));
    }

    @Override
    public void processBroadcastElement(SnapshotRow<L> row, Context ctx, Collector<O> out)
            throws Exception {
        BroadcastState<String, Long> state = ctx.getBroadcastState(meta);
        BroadcastState<K, L> next = ctx.getBroadcastState(pending);
        Long pendingVersion = state.get(PENDING_VERSION);
        if (row.index == 0 || pendingVersion == null || pendingVersion != row.version) {
            next.clear(); // a new version, or the same one replayed after a restart
            state.put(PENDING_VERSION, row.version);
            state.put(RECEIVED, 0L);
        }
        long received = state.get(RECEIVED);
        if (row.row != null) {
            next.put(lookupKey.getKey(row.row), row.row);
            received++;
            state.put(RECEIVED, received);
        }
        if (received < row.count) {
            return;
        }
        BroadcastState<K, L> snapshot = ctx.getBroadcastState(current);
        snapshot.clear();
        for (Map.Entry<K, L> e : next.entries()) {
            snapshot.put(e.getKey(), e.getValue());
        }
        next.clear();
        state.remove(PENDING_VERSION);
        state.put(VERSION, row.version);
        for (E event : buffer) {
            out.collect(join.join(event, snapshot.get(eventKey.getKey(event))));
        }
        buffer.clear();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        bufferState.update(buffer);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        bufferState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("hogql-join-buffer", eventType));
        buffer = new ArrayList<>();
        if (context.isRestored()) {
            for (E e : bufferState.get()) {
                buffer.add(e);
            }
        }
    }
}
