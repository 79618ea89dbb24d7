package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creates the source's single split once and hands it to one reader; every reader then hears that
 * there are no more splits, so readers without the split finish.
 */
final class HogQLEnumerator implements SplitEnumerator<HogQLSplit, HogQLEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLEnumerator.class);

    private final SplitEnumeratorContext<HogQLSplit> context;
    private final List<HogQLSplit> unassigned = new ArrayList<>();
    private final Supplier<HogQLSplit> initialSplit;
    private boolean created;

    HogQLEnumerator(
            SplitEnumeratorContext<HogQLSplit> context,
            Supplier<HogQLSplit> initialSplit,
            @Nullable HogQLEnumState restored) {
        this.context = context;
        this.initialSplit = initialSplit;
        if (restored != null) {
            unassigned.addAll(restored.unassigned());
            created = restored.created();
        }
    }

    @Override
    public void start() {
        if (!created) {
            unassigned.add(initialSplit.get());
            created = true;
        }
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        assignPending();
    }

    @Override
    public void addSplitsBack(List<HogQLSplit> splits, int subtaskId) {
        LOG.debug("Split(s) {} returned by subtask {}", splits, subtaskId);
        unassigned.addAll(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
        if (unassigned.isEmpty()) {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    private void assignPending() {
        if (unassigned.isEmpty() || context.registeredReaders().isEmpty()) {
            return;
        }
        int reader = context.registeredReaders().keySet().stream().min(Integer::compare).get();
        for (HogQLSplit split : unassigned) {
            LOG.info("Assigning {} to subtask {}", split, reader);
            context.assignSplit(split, reader);
        }
        unassigned.clear();
        for (int subtask : context.registeredReaders().keySet()) {
            context.signalNoMoreSplits(subtask);
        }
    }

    @Override
    public HogQLEnumState snapshotState(long checkpointId) {
        return new HogQLEnumState(unassigned, created);
    }

    @Override
    public void close() {}
}
