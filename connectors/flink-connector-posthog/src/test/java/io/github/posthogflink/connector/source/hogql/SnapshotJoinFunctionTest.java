package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The join's snapshot versions and wait buffer, driven row by row in a test harness. */
class SnapshotJoinFunctionTest {

    /** Lookup rows are "key:value"; events are keys; output "event=value" or "event=none". */
    private static SnapshotJoinFunction<String, String, String, String> function() {
        return new SnapshotJoinFunction<>(
                e -> e,
                row -> row.substring(0, row.indexOf(':')),
                (e, row) -> e + "=" + (row == null ? "none" : row.substring(row.indexOf(':') + 1)),
                10,
                BufferOverflowPolicy.FAIL,
                Types.STRING,
                Types.STRING,
                Types.STRING);
    }

    private static BroadcastOperatorTestHarness<String, SnapshotRow<String>, String> harness(
            SnapshotJoinFunction<String, String, String, String> f) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                f, f.current, f.pending, f.meta);
    }

    private static SnapshotRow<String> row(long version, int index, int count, String row) {
        return new SnapshotRow<>(version, index, count, row);
    }

    @Test
    void aVersionReplacesTheSnapshotOnlyWhenComplete() throws Exception {
        var f = function();
        try (var h = harness(f)) {
            h.processElement("a", 0);
            h.processBroadcastElement(row(1, 0, 2, "a:1"), 0);
            h.processElement("b", 0); // version 1 incomplete: still waiting
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBroadcastElement(row(1, 1, 2, "b:1"), 0);
            assertThat(h.extractOutputValues()).containsExactly("a=1", "b=1");

            h.processBroadcastElement(row(2, 0, 2, "a:2"), 0);
            h.processElement("a", 0); // version 2 incomplete: version 1 still answers
            h.processBroadcastElement(row(2, 0, 2, "a:2"), 0); // replayed after a restart
            h.processBroadcastElement(row(2, 1, 2, "c:2"), 0);
            h.processElement("a", 0);
            h.processElement("b", 0); // gone in version 2
            h.processElement("c", 0);
            assertThat(h.extractOutputValues().subList(2, 6))
                    .containsExactly("a=1", "a=2", "b=none", "c=2");

            h.processBroadcastElement(new SnapshotRow<>(3, 0, 0, null), 0); // empty result
            h.processElement("a", 0);
            assertThat(h.extractOutputValues()).last().isEqualTo("a=none");
        }
    }

    @Test
    void waitingEventsSurviveACheckpoint() throws Exception {
        OperatorSubtaskState state;
        var f = function();
        try (var h = harness(f)) {
            h.processElement("a", 0);
            h.processElement("b", 0);
            state = h.snapshot(1, 0);
        }
        var restored = function();
        try (var h =
                new BroadcastOperatorTestHarness<>(
                        new CoBroadcastWithNonKeyedOperator<>(
                                restored,
                                List.of(restored.current, restored.pending, restored.meta)),
                        1,
                        1,
                        0)) {
            h.initializeState(state);
            h.open();
            h.processBroadcastElement(row(1, 0, 1, "a:7"), 0);
            assertThat(h.extractOutputValues()).containsExactly("a=7", "b=none");
        }
    }
}
