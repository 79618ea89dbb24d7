package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.testing.JobFailures;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;
import org.apache.flink.streaming.util.retryable.RetryPredicates;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.posthogflink.connector.enrich.flags.FlinkTestJobs.counter;
import static io.github.posthogflink.connector.enrich.flags.FlinkTestJobs.flagProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Failure policies, Flink's async retry strategies and generic event types on a MiniCluster. */
class FlagFailurePolicyJobTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestJobs.miniCluster(REPORTER);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void freshServer() {
        await().atMost(Duration.ofSeconds(30)).until(() -> SharedFlagResources.openEntries() == 0);
        POSTHOG.reset();
        FlagTestkit.createFlags(
                POSTHOG, List.of(FlagTestkit.BETA_ROLLOUT, FlagTestkit.CHECKOUT_VARIANT));
    }

    @AfterEach
    void clearFaults() {
        POSTHOG.faults().clear();
    }

    private static FlagEnrichmentOptions.Builder remote() {
        return FlagEnrichmentOptions.builder(FlagTestkit.config(POSTHOG))
                .mode(EvaluationMode.REMOTE)
                .remoteMaxRetries(0);
    }

    private static FlinkTestJobs.Run<PostHogEvent> enrich(
            List<PostHogEvent> events, FlagEnrichmentOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<PostHogEvent> enriched =
                AsyncDataStream.unorderedWait(
                        env.fromData(events),
                        FeatureFlagEnricher.forPostHogEvents(options),
                        30,
                        TimeUnit.SECONDS,
                        20);
        return FlinkTestJobs.run(env, enriched);
    }

    @Test
    void emitWithoutFlagsPassesEventsOnAndCountsTheFailures() throws Exception {
        POSTHOG.faults().add(FaultRule.matching(RouteMatcher.flags()).status(500).always());
        List<PostHogEvent> events = FlinkTestJobs.pageViews(10, 1);

        FlinkTestJobs.Run<PostHogEvent> run =
                enrich(
                        events,
                        remote().failurePolicy(FlagFailurePolicy.EMIT_WITHOUT_FLAGS).build());

        assertThat(run.output()).hasSize(10);
        assertThat(run.output()).allSatisfy(e -> assertThat(flagProperties(e)).isEmpty());
        assertThat(run.output())
                .extracting(PostHogEvent::uuid)
                .containsExactlyInAnyOrderElementsOf(
                        events.stream().map(PostHogEvent::uuid).toList());
        assertThat(counter(REPORTER, run.jobId(), "failures")).isEqualTo(10);
        assertThat(counter(REPORTER, run.jobId(), "remoteCalls")).isEqualTo(10);
        assertThat(FlagTestkit.flagsRequests(POSTHOG)).hasSize(10);
    }

    /**
     * A quota-limited project's {@code /flags} answer carries no flag and {@code "quotaLimited":
     * ["feature_flags"]} ({@code rust/feature-flags} {@code check_limits}): not "no flags", but a
     * failure under the policy, counted, and never cached (one event at a time, same subject).
     */
    @Test
    void quotaLimitedAnswersAreFailuresNeverCached() throws Exception {
        POSTHOG.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);
        List<PostHogEvent> events =
                java.util.stream.IntStream.range(0, 3)
                        .mapToObj(
                                i ->
                                        PostHogEvent.builder("page_viewed", "over-quota")
                                                .uuid(new java.util.UUID(7, i))
                                                .build())
                        .toList();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        FlinkTestJobs.Run<PostHogEvent> run =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.orderedWait(
                                env.fromData(events),
                                FeatureFlagEnricher.forPostHogEvents(
                                        remote().failurePolicy(FlagFailurePolicy.EMIT_WITHOUT_FLAGS)
                                                .build()),
                                30,
                                TimeUnit.SECONDS,
                                1));

        assertThat(run.output()).hasSize(3);
        assertThat(run.output()).allSatisfy(e -> assertThat(flagProperties(e)).isEmpty());
        assertThat(counter(REPORTER, run.jobId(), "failures")).isEqualTo(3);
        assertThat(counter(REPORTER, run.jobId(), "quotaLimited")).isEqualTo(3);
        assertThat(counter(REPORTER, run.jobId(), "remoteCalls")).isEqualTo(3);
        assertThat(FlagTestkit.flagsRequests(POSTHOG)).hasSize(3);
    }

    @Test
    void quotaLimitedAnswersFailTheJobUnderTheFailPolicy(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        POSTHOG.seed().quotaLimit(QuotaLimits.Resource.FEATURE_FLAGS);

        assertThat(failedFailPolicyJob(miniCluster, FlinkTestJobs.pageViews(2, 8)))
                .contains(FlagEnrichmentException.class.getName())
                .contains(FlagsQuotaLimitedException.class.getName(), "quotaLimited");
    }

    @Test
    void failPolicyFailsTheJob(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        POSTHOG.faults().add(FaultRule.matching(RouteMatcher.flags()).status(500).always());

        assertThat(failedFailPolicyJob(miniCluster, FlinkTestJobs.pageViews(5, 2)))
                .contains(FlagEnrichmentException.class.getName());
    }

    /** Runs the events through a remote enricher with the FAIL policy; how the job failed. */
    private static String failedFailPolicyJob(MiniCluster miniCluster, List<PostHogEvent> events)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        AsyncDataStream.unorderedWait(
                        env.fromData(events),
                        FeatureFlagEnricher.forPostHogEvents(
                                remote().failurePolicy(FlagFailurePolicy.FAIL).build()),
                        30,
                        TimeUnit.SECONDS,
                        20)
                .sinkTo(new DiscardingSink<>());

        // env.execute() reports the job's own failure (a collecting iterator may report its fetch)
        Throwable failure = catchThrowable(() -> env.execute("flags fail policy"));

        assertThat(failure).as("the job fails").isNotNull();
        return JobFailures.describe(miniCluster, failure);
    }

    @Test
    void failPolicyWorksWithAnAsyncRetryStrategy() throws Exception {
        POSTHOG.faults().add(FaultRule.matching(RouteMatcher.flags()).status(503).times(3));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        AsyncRetryStrategy<PostHogEvent> retries =
                new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<PostHogEvent>(5, 20L)
                        .ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE)
                        .build();
        FlagEnrichmentOptions options =
                remote().failurePolicy(FlagFailurePolicy.FAIL)
                        .remoteCacheTtl(Duration.ZERO)
                        .build();

        FlinkTestJobs.Run<PostHogEvent> run =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.orderedWaitWithRetry(
                                env.fromData(FlinkTestJobs.pageViews(3, 3)),
                                FeatureFlagEnricher.forPostHogEvents(options),
                                30,
                                TimeUnit.SECONDS,
                                1,
                                retries));

        assertThat(run.output()).hasSize(3);
        assertThat(run.output())
                .allSatisfy(
                        e ->
                                assertThat(flagProperties(e))
                                        .containsKeys(
                                                "$feature/beta-rollout",
                                                "$feature/checkout-variant"));
        assertThat(counter(REPORTER, run.jobId(), "failures")).isEqualTo(3);
        assertThat(FlagTestkit.flagsRequests(POSTHOG)).hasSize(6);
    }

    @Test
    void slowAnswersAreCutByTheRemoteTimeout() throws Exception {
        POSTHOG.faults()
                .add(
                        FaultRule.matching(RouteMatcher.flags())
                                .delay(Duration.ofMillis(1500))
                                .always());

        FlinkTestJobs.Run<PostHogEvent> run =
                enrich(
                        FlinkTestJobs.pageViews(2, 4),
                        remote().remoteTimeout(Duration.ofMillis(300)).build());

        assertThat(run.output()).hasSize(2);
        assertThat(run.output()).allSatisfy(e -> assertThat(flagProperties(e)).isEmpty());
        assertThat(counter(REPORTER, run.jobId(), "failures")).isEqualTo(2);
        awaitDelayedRequests(2);
    }

    @Test
    void flinksAsyncTimeoutAppliesTheFailurePolicy() throws Exception {
        POSTHOG.faults()
                .add(
                        FaultRule.matching(RouteMatcher.flags())
                                .delay(Duration.ofMillis(1500))
                                .always());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        FlinkTestJobs.Run<PostHogEvent> run =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.unorderedWait(
                                env.fromData(FlinkTestJobs.pageViews(4, 5)),
                                FeatureFlagEnricher.forPostHogEvents(remote().build()),
                                300,
                                TimeUnit.MILLISECONDS,
                                10));

        assertThat(run.output()).hasSize(4);
        assertThat(run.output()).allSatisfy(e -> assertThat(flagProperties(e)).isEmpty());
        assertThat(counter(REPORTER, run.jobId(), "failures")).isEqualTo(4);
        awaitDelayedRequests(4);
    }

    /** Delayed requests are journaled when answered: let them land before the next reset. */
    private static void awaitDelayedRequests(int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> FlagTestkit.flagsRequests(POSTHOG).size() >= count);
    }

    /** A user's own event type. */
    record Click(String user, String company, Map<String, Object> props) implements Serializable {}

    @Test
    void genericEventsAreEnrichedThroughAnAccessor() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FlagEventAccessor<Click> accessor =
                FlagEventAccessor.<Click>of(
                                Click::user,
                                Click::props,
                                (click, props) -> new Click(click.user(), click.company(), props))
                        .withGroups(click -> Map.of("company", click.company()));
        List<Click> clicks =
                java.util.stream.IntStream.range(0, 20)
                        .mapToObj(
                                i -> {
                                    Map<String, Object> props = new LinkedHashMap<>();
                                    props.put("button", "buy");
                                    if (i == 0) {
                                        props.put("$feature/beta-rollout", "from-client");
                                    }
                                    return new Click("clicker-" + i, "acme", props);
                                })
                        .toList();
        FlagEnrichmentOptions options =
                FlagEnrichmentOptions.builder(FlagTestkit.config(POSTHOG))
                        .flagKeys("beta-rollout", "checkout-variant")
                        .build();

        List<Click> output =
                FlinkTestJobs.run(
                                env,
                                AsyncDataStream.unorderedWait(
                                        env.fromData(clicks),
                                        FeatureFlagEnricher.create(options, accessor),
                                        30,
                                        TimeUnit.SECONDS,
                                        10))
                        .output();

        assertThat(output).hasSize(20);
        for (Click click : output) {
            assertThat(click.props()).containsEntry("button", "buy");
            assertThat(click.props().get("$feature/checkout-variant"))
                    .isIn("control", "one-page", "express");
            if (click.user().equals("clicker-0")) {
                assertThat(click.props()).containsEntry("$feature/beta-rollout", "from-client");
            } else {
                assertThat(click.props().get("$feature/beta-rollout")).isInstanceOf(Boolean.class);
            }
        }
        assertThat(FlagTestkit.flagsRequests(POSTHOG)).isEmpty();
    }
}
