package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.github.posthogflink.connector.sink.SinkTestSupport.expectedUuids;
import static io.github.posthogflink.connector.sink.SinkTestSupport.uuids;
import static org.assertj.core.api.Assertions.assertThat;

/** Restart from a checkpoint mid-stream: nothing missing, nothing duplicated under dedup. */
@Timeout(180)
class PostHogSinkRecoveryTest {
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    /** Throws once, after {@code after} records and a completed checkpoint. */
    static final class FailOnce implements MapFunction<Long, Long>, CheckpointListener {
        private final long after;
        private long seen;

        FailOnce(long after) {
            this.after = after;
        }

        @Override
        public Long map(Long value) {
            seen++;
            if (seen >= after && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("induced failure after " + seen + " records");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    @Test
    void restartsFromACheckpointWithoutLossOrDuplicates() throws Exception {
        POSTHOG.reset();
        long n = 20_000;
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);

        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index + 1, n, RateLimiterStrategy.perSecond(5_000), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ids")
                .map(new FailOnce(3_000))
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setMaxBatchSize(200)
                                .setMaxTimeInBufferMS(50)
                                .build());
        env.execute("restart from checkpoint");

        assertThat(FAILED).isTrue();
        List<CapturedEvent> deduped = POSTHOG.dedupedEvents();
        assertThat(deduped).hasSize((int) n);
        assertThat(uuids(deduped)).isEqualTo(expectedUuids(1, n));
        // the replay after the restart sent some events twice; dedup collapsed them
        assertThat(POSTHOG.events().size()).isGreaterThanOrEqualTo((int) n);
    }
}
