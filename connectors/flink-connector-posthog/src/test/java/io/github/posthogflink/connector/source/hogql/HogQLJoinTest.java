package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Events joined with a HogQL snapshot; early events wait for the first snapshot. */
class HogQLJoinTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void seed() {
        posthog.reset();
        HogQLTestSupport.seedEvents(posthog, 6, 1, 11); // user-0 .. user-5, one event each
        // The snapshot arrives well after the events, which must wait for it.
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.query())
                                .delay(Duration.ofMillis(500))
                                .always());
    }

    private static HogQLSource<SnapshotRow<Row>> counts() {
        return HogQLSource.<SnapshotRow<Row>>builder()
                .client(HogQLTestSupport.config(posthog))
                .snapshot(
                        "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id"
                                + " ORDER BY distinct_id LIMIT 100")
                .bounded(true)
                .deserializer(
                        HogQLJoin.snapshotRows(
                                HogQLRowDeserializer.row(
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {Types.STRING, Types.LONG},
                                                new String[] {"distinct_id", "n"}))))
                .build();
    }

    private static DataStream<String> joined(
            StreamExecutionEnvironment env, int bufferSize, BufferOverflowPolicy policy) {
        DataStream<String> events = env.fromData("user-1", "user-4", "stranger");
        return HogQLJoin.<String, Row, String, String>builder()
                .events(events, e -> e)
                .lookup(counts(), row -> (String) row.getField("distinct_id"), Types.STRING)
                .join((e, row) -> e + "=" + (row == null ? "none" : row.getField("n")))
                .outputType(Types.STRING)
                .bufferSize(bufferSize)
                .whenBufferFull(policy)
                .build();
    }

    @Test
    void eventsBeforeTheFirstSnapshotWaitAndAreJoinedWithIt() throws Exception {
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);

        List<String> out = joined(env, 100, BufferOverflowPolicy.FAIL).executeAndCollect(10);

        assertThat(out).containsExactlyInAnyOrder("user-1=1", "user-4=1", "stranger=none");
    }

    @Test
    void aFullBufferEmitsUnjoinedByPolicy() throws Exception {
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);

        List<String> out = joined(env, 1, BufferOverflowPolicy.EMIT_UNJOINED).executeAndCollect(10);

        assertThat(out).containsExactlyInAnyOrder("user-1=1", "user-4=none", "stranger=none");
    }

    @Test
    void aFullBufferFailsByDefault() {
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);
        joined(env, 1, BufferOverflowPolicy.FAIL).sinkTo(new DiscardingSink<>());

        Throwable failure = catchThrowable(() -> env.execute("full join buffer"));

        // env.execute() reports the job's own failure (a collecting iterator may report its fetch)
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "buffer is full")).isPresent();
    }
}
