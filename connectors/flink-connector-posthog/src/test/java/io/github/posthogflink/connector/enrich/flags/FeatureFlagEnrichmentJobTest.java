package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.github.posthogflink.connector.enrich.flags.FlinkTestJobs.counter;
import static io.github.posthogflink.connector.enrich.flags.FlinkTestJobs.flagProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Local and remote flag enrichment of bounded streams on a MiniCluster, against the testkit. */
class FeatureFlagEnrichmentJobTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestJobs.miniCluster(REPORTER);

    @RegisterExtension
    static final PostHogTestServer POSTHOG =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    @BeforeEach
    void freshServer() {
        await().atMost(Duration.ofSeconds(30)).until(() -> SharedFlagResources.openEntries() == 0);
        POSTHOG.reset();
        FlagTestkit.createFlags(POSTHOG, FlagTestkit.ALL_FLAGS);
    }

    private static FlagEnrichmentOptions.Builder options(EvaluationMode mode) {
        return FlagEnrichmentOptions.builder(FlagTestkit.config(POSTHOG)).mode(mode);
    }

    private static FlinkTestJobs.Run<PostHogEvent> enrich(
            List<PostHogEvent> events, FlagEnrichmentOptions options, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        DataStream<PostHogEvent> enriched =
                AsyncDataStream.unorderedWait(
                        env.fromData(events),
                        FeatureFlagEnricher.forPostHogEvents(options),
                        30,
                        TimeUnit.SECONDS,
                        50);
        return FlinkTestJobs.run(env, enriched);
    }

    private static Map<UUID, PostHogEvent> byUuid(List<PostHogEvent> events) {
        return events.stream().collect(Collectors.toMap(PostHogEvent::uuid, Function.identity()));
    }

    @Test
    void localAndRemoteEvaluationAgreeForHundredsOfDistinctIds() throws Exception {
        List<PostHogEvent> events = FlinkTestJobs.pageViews(300, 7);

        FlinkTestJobs.Run<PostHogEvent> local =
                enrich(events, options(EvaluationMode.LOCAL).build(), 2);
        await().until(() -> SharedFlagResources.openEntries() == 0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FlinkTestJobs.Run<PostHogEvent> remote =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.orderedWait(
                                env.fromData(events),
                                FeatureFlagEnricher.forPostHogEvents(
                                        options(EvaluationMode.REMOTE).build()),
                                30,
                                TimeUnit.SECONDS,
                                50));

        assertThat(local.output()).hasSize(300);
        assertThat(remote.output()).hasSize(300);
        Map<UUID, PostHogEvent> remoteByUuid = byUuid(remote.output());
        int betaOn = 0;
        int stickyOn = 0;
        for (PostHogEvent enriched : local.output()) {
            Map<String, Object> flags = flagProperties(enriched);
            assertThat(flags)
                    .as("flags of %s", enriched.distinctId())
                    .isEqualTo(flagProperties(remoteByUuid.get(enriched.uuid())));
            assertThat(flags)
                    .containsKeys(
                            "$feature/beta-rollout",
                            "$feature/checkout-variant",
                            "$feature/pro-users",
                            "$feature/company-flag",
                            "$feature/sticky-flag");
            assertThat(flags.get("$feature/checkout-variant"))
                    .isIn("control", "one-page", "express");
            Object plan =
                    enriched.properties().get("$set") instanceof Map<?, ?> set
                            ? set.get("plan")
                            : null;
            assertThat(flags.get("$feature/pro-users")).isEqualTo("pro".equals(plan));
            if (!enriched.properties().containsKey("$groups")) {
                assertThat(flags.get("$feature/company-flag")).isEqualTo(false);
            }
            List<String> active = new ArrayList<>();
            flags.forEach(
                    (k, v) -> {
                        if (k.startsWith("$feature/") && !Boolean.FALSE.equals(v)) {
                            active.add(k.substring("$feature/".length()));
                        }
                    });
            assertThat(flags.get("$active_feature_flags"))
                    .isEqualTo(active.stream().sorted().toList());
            assertThat(enriched.properties())
                    .containsEntry("path", "/page/" + enriched.distinctId().substring(5));
            betaOn += Boolean.TRUE.equals(flags.get("$feature/beta-rollout")) ? 1 : 0;
            stickyOn += Boolean.TRUE.equals(flags.get("$feature/sticky-flag")) ? 1 : 0;
        }
        assertThat(betaOn).isBetween(120, 180);
        assertThat(stickyOn).isBetween(90, 150);

        // ensure_experience_continuity is never decided locally: every event fell back.
        assertThat(counter(REPORTER, local.jobId(), "localEvaluations")).isEqualTo(300);
        assertThat(counter(REPORTER, local.jobId(), "fallbacks")).isEqualTo(300);
        assertThat(counter(REPORTER, remote.jobId(), "localEvaluations")).isZero();
        assertThat(counter(REPORTER, remote.jobId(), "remoteCalls")).isEqualTo(300);
        assertThat(counter(REPORTER, local.jobId(), "failures")).isZero();
    }

    @Test
    void definitionsAreFetchedOncePerTaskManagerAndRevalidatedWithEtag() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<PostHogEvent> afterTwoPolls =
                env.fromData(FlinkTestJobs.pageViews(40, 11))
                        .map(new WaitForDefinitionPolls(3))
                        .returns(PostHogEvent.class);
        FlagEnrichmentOptions options =
                options(EvaluationMode.LOCAL)
                        .flagKeys("beta-rollout", "checkout-variant")
                        .pollInterval(Duration.ofMillis(200))
                        .build();

        FlinkTestJobs.Run<PostHogEvent> run =
                FlinkTestJobs.run(
                        env,
                        AsyncDataStream.unorderedWait(
                                afterTwoPolls,
                                FeatureFlagEnricher.forPostHogEvents(options),
                                30,
                                TimeUnit.SECONDS,
                                10));

        assertThat(run.output()).hasSize(40);
        List<RecordedRequest> polls = FlagTestkit.definitionsRequests(POSTHOG);
        assertThat(polls.size()).isGreaterThanOrEqualTo(3);
        // Two subtasks polling on their own would each start with an unconditional 200.
        assertThat(polls.get(0).status()).isEqualTo(200);
        assertThat(polls.get(0).header("If-None-Match")).isNull();
        String etag = polls.get(1).header("If-None-Match");
        assertThat(etag).isNotBlank();
        for (RecordedRequest poll : polls.subList(1, polls.size())) {
            assertThat(poll.status()).isEqualTo(304);
            assertThat(poll.header("If-None-Match")).isEqualTo(etag);
        }
        assertThat(FlagTestkit.flagsRequests(POSTHOG)).isEmpty();
        assertThat(counter(REPORTER, run.jobId(), "localEvaluations")).isEqualTo(40);
        assertThat(counter(REPORTER, run.jobId(), "fallbacks")).isZero();
        await().until(() -> SharedFlagResources.openEntries() == 0);
    }

    @Test
    void inconclusiveFlagsGoToFlagsForJustThoseKeysOncePerSubject() throws Exception {
        List<PostHogEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(
                    PostHogEvent.builder("signed_in", "known-" + i)
                            .set(
                                    new java.util.LinkedHashMap<>(
                                            Map.of("plan", i % 2 == 0 ? "pro" : "free")))
                            .uuid(new UUID(1, i))
                            .build());
            for (int copy = 0; copy < 2; copy++) {
                events.add(
                        PostHogEvent.builder("signed_in", "unknown-" + i)
                                .uuid(new UUID(2 + copy, i))
                                .build());
            }
        }
        FlagEnrichmentOptions options =
                options(EvaluationMode.LOCAL).flagKeys("beta-rollout", "pro-users").build();

        FlinkTestJobs.Run<PostHogEvent> run = enrich(events, options, 1);

        List<RecordedRequest> calls = FlagTestkit.flagsRequests(POSTHOG);
        assertThat(calls).hasSize(20);
        for (RecordedRequest call : calls) {
            JsonNode body = FlagTestkit.parse(call.bodyText());
            assertThat(body.get("distinct_id").asText()).startsWith("unknown-");
            assertThat(body.get("flag_keys_to_evaluate").toString()).isEqualTo("[\"pro-users\"]");
        }
        for (PostHogEvent enriched : run.output()) {
            assertThat(flagProperties(enriched))
                    .containsKeys("$feature/beta-rollout", "$feature/pro-users");
            boolean pro =
                    enriched.properties().get("$set") instanceof Map<?, ?> set
                            && "pro".equals(set.get("plan"));
            assertThat(enriched.properties().get("$feature/pro-users")).isEqualTo(pro);
        }
        assertThat(counter(REPORTER, run.jobId(), "localEvaluations")).isEqualTo(60);
        assertThat(counter(REPORTER, run.jobId(), "fallbacks")).isEqualTo(40);
        assertThat(counter(REPORTER, run.jobId(), "remoteCalls")).isEqualTo(20);
        assertThat(counter(REPORTER, run.jobId(), "cacheHits")).isEqualTo(20);
    }

    @Test
    void onlyEvaluateLocallyLeavesUndecidedFlagsOut() throws Exception {
        List<PostHogEvent> events = FlinkTestJobs.pageViews(30, 3);
        FlagEnrichmentOptions options =
                options(EvaluationMode.LOCAL)
                        .flagKeys("pro-users", "sticky-flag", "checkout-variant")
                        .onlyEvaluateLocally(true)
                        .build();

        FlinkTestJobs.Run<PostHogEvent> run = enrich(events, options, 2);

        assertThat(FlagTestkit.flagsRequests(POSTHOG)).isEmpty();
        for (PostHogEvent enriched : run.output()) {
            Map<String, Object> flags = flagProperties(enriched);
            assertThat(flags)
                    .containsKey("$feature/checkout-variant")
                    .doesNotContainKey("$feature/sticky-flag");
            assertThat(flags.containsKey("$feature/pro-users"))
                    .isEqualTo(enriched.properties().containsKey("$set"));
        }
    }

    @Test
    void eventsGoRemoteWhenTheFirstDefinitionsAreLate() throws Exception {
        POSTHOG.faults()
                .add(
                        FaultRule.matching(RouteMatcher.flagDefinitions())
                                .delay(Duration.ofSeconds(3))
                                .always());
        FlagEnrichmentOptions options =
                options(EvaluationMode.LOCAL)
                        .flagKeys("beta-rollout")
                        .definitionsWaitTimeout(Duration.ofMillis(200))
                        .build();
        try {
            FlinkTestJobs.Run<PostHogEvent> run =
                    enrich(FlinkTestJobs.pageViews(10, 9), options, 1);

            assertThat(run.output())
                    .allSatisfy(
                            e ->
                                    assertThat(flagProperties(e))
                                            .containsKey("$feature/beta-rollout"));
            assertThat(counter(REPORTER, run.jobId(), "localEvaluations")).isZero();
            assertThat(counter(REPORTER, run.jobId(), "fallbacks")).isEqualTo(10);
            assertThat(counter(REPORTER, run.jobId(), "remoteCalls")).isEqualTo(10);
        } finally {
            POSTHOG.faults().clear();
            // The late poll is journaled when answered: let it land before the next test resets.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !FlagTestkit.definitionsRequests(POSTHOG).isEmpty());
        }
    }

    @Test
    void resultEnricherEmitsVariantsPayloadsReasonsAndSources() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        FlagEnrichmentOptions options =
                options(EvaluationMode.LOCAL).flagKeys("checkout-variant", "sticky-flag").build();
        DataStream<FlagEnrichedEvent<PostHogEvent>> results =
                AsyncDataStream.orderedWait(
                        env.fromData(FlinkTestJobs.pageViews(20, 5)),
                        FeatureFlagResultEnricher.forPostHogEvents(options),
                        30,
                        TimeUnit.SECONDS,
                        10);

        List<FlagEnrichedEvent<PostHogEvent>> output = FlinkTestJobs.run(env, results).output();

        assertThat(output).hasSize(20);
        Map<String, String> payloads =
                Map.of(
                        "control",
                        "{\"steps\":3}",
                        "one-page",
                        "{\"steps\":1}",
                        "express",
                        "{\"steps\":2}");
        for (FlagEnrichedEvent<PostHogEvent> result : output) {
            assertThat(result.complete()).isTrue();
            assertThat(result.event().properties()).doesNotContainKey("$feature/checkout-variant");
            FlagEvaluationResult variant = result.flags().get("checkout-variant");
            assertThat(variant.enabled()).isTrue();
            assertThat(variant.payload()).isEqualTo(payloads.get(variant.variant()));
            assertThat(variant.reason()).isEqualTo("condition_match");
            assertThat(variant.source()).isEqualTo(FlagEvaluationSource.LOCAL);
            assertThat(result.flags().get("sticky-flag").source())
                    .isEqualTo(FlagEvaluationSource.REMOTE);
            assertThat(result.flags().keySet()).containsExactly("checkout-variant", "sticky-flag");
        }
        assertThat(
                        Set.copyOf(
                                output.stream()
                                        .map(r -> r.flags().get("checkout-variant").variant())
                                        .toList()))
                .hasSizeGreaterThan(1);
    }
}
