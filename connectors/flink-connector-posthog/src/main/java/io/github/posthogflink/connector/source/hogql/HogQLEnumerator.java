package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Plans the source's splits once (one split per query, or the time slices of a parallel bounded
 * read, planned off the coordinator thread since that may query PostHog) and hands them out one at
 * a time to readers that ask: a reader asks when it starts without a split and whenever it finished
 * one, so slices spread over the subtasks as they free up. A reader that asks when none are left
 * hears that there are no more. Unassigned splits are checkpointed; finished ones are gone.
 */
final class HogQLEnumerator implements SplitEnumerator<HogQLSplit, HogQLEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(HogQLEnumerator.class);

    private final SplitEnumeratorContext<HogQLSplit> context;
    private final Deque<HogQLSplit> unassigned = new ArrayDeque<>();
    private final Callable<List<HogQLSplit>> planner;
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private boolean created;
    private boolean planning;

    HogQLEnumerator(
            SplitEnumeratorContext<HogQLSplit> context,
            Callable<List<HogQLSplit>> planner,
            @Nullable HogQLEnumState restored) {
        this.context = context;
        this.planner = planner;
        if (restored != null) {
            unassigned.addAll(restored.unassigned());
            created = restored.created();
        }
    }

    @Override
    public void start() {
        if (!created && !planning) {
            planning = true;
            context.callAsync(planner, this::planned);
        }
    }

    private void planned(@Nullable List<HogQLSplit> splits, @Nullable Throwable error) {
        planning = false;
        if (error != null) {
            throw new IllegalStateException("Planning the HogQL source's splits failed", error);
        }
        LOG.info("Planned {} HogQL split(s)", splits.size());
        unassigned.addAll(splits);
        created = true;
        serve();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waiting.add(subtaskId);
        serve();
    }

    @Override
    public void addSplitsBack(List<HogQLSplit> splits, int subtaskId) {
        LOG.debug("Split(s) {} returned by subtask {}", splits, subtaskId);
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
        serve();
    }

    @Override
    public void addReader(int subtaskId) {
        // the reader asks for a split when it has none
    }

    private void serve() {
        for (var it = waiting.iterator(); it.hasNext(); ) {
            int subtask = it.next();
            if (!context.registeredReaders().containsKey(subtask)) {
                it.remove();
            } else if (!unassigned.isEmpty()) {
                HogQLSplit split = unassigned.poll();
                LOG.info("Assigning {} to subtask {}", split, subtask);
                context.assignSplit(split, subtask);
                it.remove();
            } else if (created) {
                context.signalNoMoreSplits(subtask);
                it.remove();
            }
        }
    }

    @Override
    public HogQLEnumState snapshotState(long checkpointId) {
        return new HogQLEnumState(List.copyOf(unassigned), created);
    }

    @Override
    public void close() {}
}
