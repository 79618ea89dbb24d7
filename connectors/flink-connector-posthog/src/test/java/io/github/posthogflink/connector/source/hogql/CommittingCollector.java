package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Passes values through and commits them to a static list only when the checkpoint that covers them
 * completes (each checkpoint's values once), so the committed list is what an exactly-once sink
 * would hold: records replayed after a restart were never committed the first time.
 */
final class CommittingCollector extends RichMapFunction<String, String>
        implements CheckpointedFunction, CheckpointListener {
    static final ConcurrentLinkedQueue<String> COMMITTED = new ConcurrentLinkedQueue<>();
    static final Set<Long> COMMITTED_CHECKPOINTS = ConcurrentHashMap.newKeySet();

    private transient List<String> sinceLastCheckpoint;
    private transient TreeMap<Long, List<String>> pending;
    private transient ListState<String> state;

    static void clear() {
        COMMITTED.clear();
        COMMITTED_CHECKPOINTS.clear();
    }

    @Override
    public String map(String value) {
        sinceLastCheckpoint.add(value);
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pending.put(context.getCheckpointId(), sinceLastCheckpoint);
        sinceLastCheckpoint = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : pending.entrySet()) {
            for (String v : e.getValue()) {
                flat.add(e.getKey() + "|" + v);
            }
            flat.add(e.getKey() + "|"); // keeps empty checkpoints visible
        }
        state.update(flat);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        sinceLastCheckpoint = new ArrayList<>();
        pending = new TreeMap<>();
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("pending", Types.STRING));
        if (context.isRestored()) {
            for (String entry : state.get()) {
                int bar = entry.indexOf('|');
                List<String> values =
                        pending.computeIfAbsent(
                                Long.parseLong(entry.substring(0, bar)), k -> new ArrayList<>());
                if (bar < entry.length() - 1) {
                    values.add(entry.substring(bar + 1));
                }
            }
            // The restored checkpoint completed, and so did every one it still lists.
            commitUpTo(Long.MAX_VALUE);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        commitUpTo(checkpointId);
    }

    private void commitUpTo(long checkpointId) {
        var done = pending.headMap(checkpointId, true);
        for (Map.Entry<Long, List<String>> e : done.entrySet()) {
            if (COMMITTED_CHECKPOINTS.add(e.getKey())) {
                COMMITTED.addAll(e.getValue());
            }
        }
        done.clear();
    }
}
