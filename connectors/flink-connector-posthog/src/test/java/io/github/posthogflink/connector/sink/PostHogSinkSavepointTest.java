package io.github.posthogflink.connector.sink;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.posthogflink.connector.sink.SinkTestSupport.expectedUuids;
import static io.github.posthogflink.connector.sink.SinkTestSupport.uuids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events still buffered in the writer when a savepoint is taken are in the savepoint, and the job
 * restored from it sends them.
 */
@Timeout(180)
class PostHogSinkSavepointTest {
    private static final long HALF = 150;
    private static final AtomicLong SEEN = new AtomicLong();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    /** Lets {@code permits} records through per run, then holds the source (without ending it). */
    static final class PermitsThenHold implements RateLimiterStrategy<SourceSplit> {
        private final long permits;

        PermitsThenHold(long permits) {
            this.permits = permits;
        }

        @Override
        public RateLimiter<SourceSplit> createRateLimiter(int parallelism) {
            return new RateLimiter<>() {
                private long granted;

                @Override
                public CompletionStage<Void> acquire(int n) {
                    if (granted + n <= permits) {
                        granted += n;
                        return CompletableFuture.completedFuture(null);
                    }
                    return new CompletableFuture<>();
                }
            };
        }
    }

    static final class Count implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            SEEN.incrementAndGet();
            return value;
        }
    }

    private static StreamExecutionEnvironment job(Configuration conf, long permits) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(60_000);
        RateLimiterStrategy<?> limiter = new PermitsThenHold(permits);
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(index -> index + 1, 2 * HALF, limiter, Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ids")
                .uid("ids")
                .map(new Count())
                .uid("count")
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setMaxBatchSize(1_000)
                                .setMaxBufferedRequests(2_000)
                                .setMaxTimeInBufferMS(3_600_000)
                                .build())
                .uid("posthog");
        return env;
    }

    @Test
    void bufferedEventsSurviveASavepoint(@TempDir Path savepoints) throws Exception {
        POSTHOG.reset();
        SEEN.set(0);

        JobClient first = job(new Configuration(), HALF).executeAsync("before savepoint");
        await().atMost(Duration.ofSeconds(30)).until(() -> SEEN.get() == HALF);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();

        // nothing was sent: the first half sat in the writer's buffer, hence in the savepoint
        assertThat(POSTHOG.events()).isEmpty();

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        // the source needs one more permit to see its end
        job(restore, Long.MAX_VALUE).execute("restored");

        assertThat(SEEN.get()).isEqualTo(2 * HALF);
        assertThat(POSTHOG.dedupedEvents()).hasSize((int) (2 * HALF));
        assertThat(uuids(POSTHOG.dedupedEvents())).isEqualTo(expectedUuids(1, 2 * HALF));
    }
}
