package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Time slices handed out one per request, checkpointed, and never handed out twice. */
class HogQLEnumeratorTest {

    @Test
    void slicesAreUtcDaysWithExclusiveEnds() {
        List<HogQLSplit> slices =
                HogQLSlices.slices(
                        "q",
                        Instant.parse("2026-03-01T10:00:00Z"),
                        Instant.parse("2026-03-03T00:00:00Z"),
                        Duration.ofDays(1));
        assertThat(slices)
                .extracting(HogQLSplit::cursorTimestamp, HogQLSplit::until)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-03-01T10:00:00Z", "2026-03-01T23:59:59.999999Z"),
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"));
        assertThat(slices).allMatch(s -> s.cursorUuid().equals(HogQLQueries.NIL_UUID));
        assertThat(
                        HogQLSlices.slices(
                                "q",
                                Instant.EPOCH.plusSeconds(1),
                                Instant.parse("2026-01-01T00:00:00Z"),
                                Duration.ofHours(1)))
                .as("a long range gets longer slices")
                .hasSizeLessThanOrEqualTo(HogQLSlices.MAX_SLICES);
    }

    @Test
    void aRestoredEnumeratorHandsOutOnlyTheSlicesNotYetAssigned() throws Exception {
        List<HogQLSplit> slices =
                HogQLSlices.slices(
                        "q",
                        Instant.parse("2026-03-01T00:00:00Z"),
                        Instant.parse("2026-03-04T12:00:00Z"),
                        Duration.ofDays(1));
        assertThat(slices).hasSize(4);
        Context context = new Context(2);
        HogQLEnumerator enumerator = new HogQLEnumerator(context, () -> slices, null);
        enumerator.start();
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        assertThat(context.assigned.get(0)).containsExactly(slices.get(0));
        assertThat(context.assigned.get(1)).containsExactly(slices.get(1));

        HogQLEnumStateSerializer serializer = new HogQLEnumStateSerializer();
        byte[] checkpoint = serializer.serialize(enumerator.snapshotState(1));
        HogQLEnumState restoredState = serializer.deserialize(serializer.getVersion(), checkpoint);
        assertThat(restoredState.unassigned()).containsExactly(slices.get(2), slices.get(3));

        Context after = new Context(2);
        HogQLEnumerator restored =
                new HogQLEnumerator(
                        after,
                        () -> {
                            throw new AssertionError("a restored enumerator does not plan again");
                        },
                        restoredState);
        restored.start();
        restored.handleSplitRequest(1, null);
        restored.handleSplitRequest(1, null);
        restored.handleSplitRequest(1, null);
        assertThat(after.assigned.get(1)).containsExactly(slices.get(2), slices.get(3));
        assertThat(after.noMoreSplits).containsExactly(1);

        // a split assigned after the checkpoint comes back on failover and is handed out again
        restored.addSplitsBack(List.of(slices.get(3)), 1);
        restored.handleSplitRequest(0, null);
        assertThat(after.assigned.get(0)).containsExactly(slices.get(3));
    }

    @Test
    void readersAskingBeforeThePlanIsReadyAreServedWhenItIs() {
        Context context = new Context(1);
        context.deferAsync = true;
        HogQLSplit only = new HogQLSplit("s", "t", "u", 0, "e", null);
        HogQLEnumerator enumerator = new HogQLEnumerator(context, () -> List.of(only), null);
        enumerator.start();
        enumerator.handleSplitRequest(0, null);
        assertThat(context.assigned).isEmpty();
        assertThat(context.noMoreSplits).isEmpty();
        context.runDeferred();
        assertThat(context.assigned.get(0)).containsExactly(only);
        enumerator.handleSplitRequest(0, null);
        assertThat(context.noMoreSplits).containsExactly(0);
    }

    /** A coordinator context that runs async calls at once (or when asked) on the caller. */
    static final class Context implements SplitEnumeratorContext<HogQLSplit> {
        final Map<Integer, List<HogQLSplit>> assigned = new HashMap<>();
        final List<Integer> noMoreSplits = new ArrayList<>();
        final Map<Integer, ReaderInfo> readers = new HashMap<>();
        final List<Runnable> deferred = new ArrayList<>();
        boolean deferAsync;

        Context(int readers) {
            for (int i = 0; i < readers; i++) {
                this.readers.put(i, new ReaderInfo(i, "localhost"));
            }
        }

        void runDeferred() {
            new ArrayList<>(deferred).forEach(Runnable::run);
            deferred.clear();
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

        @Override
        public int currentParallelism() {
            return readers.size();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return readers;
        }

        @Override
        public void assignSplits(SplitsAssignment<HogQLSplit> assignment) {
            assignment
                    .assignment()
                    .forEach(
                            (subtask, splits) ->
                                    assigned.computeIfAbsent(subtask, k -> new ArrayList<>())
                                            .addAll(splits));
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            noMoreSplits.add(subtask);
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            Runnable call =
                    () -> {
                        try {
                            handler.accept(callable.call(), null);
                        } catch (Exception e) {
                            handler.accept(null, e);
                        }
                    };
            if (deferAsync) {
                deferred.add(call);
            } else {
                call.run();
            }
        }

        @Override
        public <T> void callAsync(
                Callable<T> callable,
                BiConsumer<T, Throwable> handler,
                long initialDelay,
                long period) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            runnable.run();
        }
    }
}
