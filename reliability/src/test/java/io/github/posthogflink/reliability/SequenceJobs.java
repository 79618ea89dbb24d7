package io.github.posthogflink.reliability;

import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.reliability.job.SequenceToPostHogJob;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Submitting the sequence job and checking what PostHog received. */
final class SequenceJobs {

    private SequenceJobs() {}

    /** Runs the sequence job on the cluster; returns the job id. */
    static String submit(
            ReliabilityCluster cluster,
            long events,
            int ratePerSecond,
            int parallelism,
            String savepointPath,
            String... extraArgs)
            throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--events",
                                Long.toString(events),
                                "--rate",
                                Integer.toString(ratePerSecond),
                                "--posthog-host",
                                cluster.posthog.baseUrl()));
        args.addAll(List.of(extraArgs));
        JarRun run = JarRun.of(ReliabilityCluster.JOB_MAIN, args).parallelism(parallelism);
        if (savepointPath != null) {
            run = run.fromSavepoint(savepointPath, false);
        }
        return cluster.flink.rest().runJar(cluster.jarId, run);
    }

    /** Waits until the job has completed a checkpoint and PostHog holds {@code events} events. */
    static void awaitCheckpointAndDelivered(ReliabilityCluster cluster, String jobId, long events) {
        await("a checkpoint and " + events + " events delivered")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                cluster.flink.rest().completedCheckpoints(jobId) >= 1
                                        && dedupedCount(cluster.posthog) >= events);
    }

    static long dedupedCount(PostHogServer posthog) {
        Map<String, Long> counters = posthog.counters();
        return counters.getOrDefault("events.deduped", 0L);
    }

    /** Every uuid of events 0..events-1 present exactly once after deduplication, none extra. */
    static void assertExactDelivery(PostHogServer posthog, long events) {
        Set<UUID> expected =
                LongStream.range(0, events)
                        .mapToObj(n -> EventUuids.fromIdentity(SequenceToPostHogJob.identity(n)))
                        .collect(Collectors.toSet());
        List<CapturedEvent> deduped = posthog.dedupedEvents();
        Map<UUID, Long> perUuid =
                deduped.stream()
                        .collect(Collectors.groupingBy(CapturedEvent::uuid, Collectors.counting()));
        assertThat(perUuid.keySet()).as("uuids after dedup").isEqualTo(expected);
        assertThat(perUuid.values()).as("each uuid once").allMatch(count -> count == 1);
        assertThat(posthog.events().size())
                .as("raw events, replays included")
                .isGreaterThanOrEqualTo((int) events);
        Map<Long, CapturedEvent> bySeq =
                deduped.stream()
                        .collect(
                                Collectors.toMap(
                                        e -> Long.parseLong(e.property("seq")),
                                        Function.identity()));
        assertThat(bySeq.keySet())
                .isEqualTo(LongStream.range(0, events).boxed().collect(Collectors.toSet()));
        assertThat(bySeq.get(0L).timestamp()).isEqualTo(SequenceToPostHogJob.BASE);
    }
}
