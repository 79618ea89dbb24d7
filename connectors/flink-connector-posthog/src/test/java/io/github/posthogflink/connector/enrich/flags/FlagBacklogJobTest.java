package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.github.posthogflink.connector.enrich.flags.FlinkTestJobs.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow PostHog, then recovery: remote flag calls whose callers gave up (the remote timeout) must
 * not stay queued and go out once PostHog answers again.
 */
class FlagBacklogJobTest {
    private static final int EVENTS = 100;
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestJobs.miniCluster(REPORTER);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void freshServer() {
        await().atMost(Duration.ofSeconds(30)).until(() -> SharedFlagResources.openEntries() == 0);
        POSTHOG.reset();
        FlagTestkit.createFlags(POSTHOG, List.of(FlagTestkit.BETA_ROLLOUT));
    }

    @AfterEach
    void clearFaults() {
        POSTHOG.faults().clear();
    }

    /** Page views of distinct users, 20 a second. */
    static final class PageViews implements GeneratorFunction<Long, PostHogEvent> {
        @Override
        public PostHogEvent map(Long i) {
            return PostHogEvent.builder("page_viewed", "user-" + i).uuid(new UUID(7, i)).build();
        }
    }

    @Test
    void callsGivenUpDuringASlowSpellAreNotSentAfterRecovery() throws Exception {
        // One connection for /flags; the first answer takes 2 s, then PostHog is fast again.
        POSTHOG.faults()
                .add(
                        FaultRule.matching(RouteMatcher.flags())
                                .delay(Duration.ofSeconds(2))
                                .times(1));
        FlagEnrichmentOptions options =
                FlagEnrichmentOptions.builder(
                                FlagTestkit.config(POSTHOG).toBuilder().maxConnections(2).build())
                        .mode(EvaluationMode.REMOTE)
                        .remoteMaxRetries(0)
                        .remoteCacheTtl(Duration.ZERO)
                        .remoteTimeout(Duration.ofMillis(300))
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<PostHogEvent> events =
                env.fromSource(
                        new DataGeneratorSource<>(
                                new PageViews(),
                                EVENTS,
                                RateLimiterStrategy.perSecond(20),
                                TypeInformation.of(PostHogEvent.class)),
                        WatermarkStrategy.noWatermarks(),
                        "page views");

        FlinkTestJobs.Run<PostHogEvent> run =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.unorderedWait(
                                events,
                                FeatureFlagEnricher.forPostHogEvents(options),
                                30,
                                TimeUnit.SECONDS,
                                100));

        assertThat(run.output()).hasSize(EVENTS);
        long gaveUp = counter(REPORTER, run.jobId(), "failures");
        assertThat(gaveUp).as("events that met the slow spell").isGreaterThanOrEqualTo(10);
        assertThat(gaveUp)
                .as(
                        "the last second's events (after recovery) got their flags; sent: %s",
                        FlagTestkit.flagsRequests(POSTHOG).stream()
                                .map(r -> r.receivedAt() + " " + r.status())
                                .toList())
                .isLessThanOrEqualTo(EVENTS - 30);
        int sent = FlagTestkit.flagsRequests(POSTHOG).size();
        // The slow call, and one per event answered afterwards; no call of an event that had
        // given up (at most one was already on the wire when its caller gave up).
        assertThat(sent).isLessThanOrEqualTo(EVENTS - (int) gaveUp + 2);
        assertThat(counter(REPORTER, run.jobId(), "remoteCalls")).isEqualTo(EVENTS);
    }
}
