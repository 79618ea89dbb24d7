package io.github.posthogflink.jobs;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.io.DemoEvents;
import io.github.posthogflink.jobs.pipeline.PipelineCounters;
import io.github.posthogflink.jobs.pipeline.PipelineJob;
import io.github.posthogflink.testkit.PostHogServer;

import org.apache.flink.api.common.JobExecutionResult;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedded demo: an in-process PostHog (the testkit) seeded with flags and persons, the
 * generated {@link DemoEvents} through the whole pipeline, then the events queried back with HogQL
 * and a short summary. Needs the testkit on the classpath (posthog-pipeline-demo.jar).
 */
final class DemoRunner {
    static final List<String> FLAGS = List.of("new-checkout", "dark-mode", "beta-search");
    static final int SEEDED_PERSONS = 50;

    /** The demo's HogQL join: how many events each user had before this run. */
    static final String HOGQL_JOIN =
            "SELECT distinct_id, count() AS earlier_events FROM events GROUP BY distinct_id";

    private DemoRunner() {}

    /** Runs the demo and returns the job's result. */
    static JobExecutionResult run(PipelineOptions options, PrintStream out) throws Exception {
        try (PostHogServer posthog = PostHogServer.builder().build().start()) {
            seed(posthog);
            PipelineOptions demo =
                    options.withPostHog(
                            posthog.baseUrl(),
                            String.valueOf(posthog.projectId()),
                            posthog.projectApiKey(),
                            posthog.personalApiKey(),
                            HOGQL_JOIN);
            out.printf(
                    "Embedded PostHog at %s (%d flags, %d persons, %d earlier events); running the"
                            + " pipeline on %d generated events...%n",
                    posthog.baseUrl(),
                    FLAGS.size(),
                    SEEDED_PERSONS,
                    posthog.events().size(),
                    options.demoEvents());
            out.println("HogQL join: " + demo.hogqlJoin());
            JobRun run = JobRun.create();
            PipelineJob.build(run.env(), demo, DemoEvents.source(options.demoEvents(), 0));
            JobExecutionResult result =
                    run.execute(PipelineJob.JOB_NAME + "-demo", out, demo.sinkToPostHog());
            printSummary(demo, result, run, out);
            return result;
        }
    }

    static void seed(PostHogServer posthog) throws Exception {
        posthog.seed().createFlag(FLAGS.get(0), 50);
        posthog.seed().createFlag(FLAGS.get(1), 20);
        posthog.seed().createFlag(FLAGS.get(2), 100);
        for (int i = 0; i < SEEDED_PERSONS; i++) {
            posthog.seed()
                    .createPerson(
                            "user-" + i,
                            Map.of(
                                    "email",
                                    "user-" + i + "@example.com",
                                    "plan",
                                    i % 3 == 0 ? "pro" : "free"));
        }
        // History for the HogQL join: users 0..99 signed up before.
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(posthog.baseUrl())
                        .projectApiKey(posthog.projectApiKey())
                        .build();
        try (PostHogClient client = PostHogClient.create(config)) {
            List<PostHogEvent> earlier = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                earlier.add(
                        PostHogEvent.builder("signed up", "user-" + i)
                                .timestamp(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i))
                                .uuid(EventUuids.fromIdentity("demo-history:" + i))
                                .build());
            }
            PostHogClient.await(client.capture().batch(earlier));
        }
    }

    private static void printSummary(
            PipelineOptions demo, JobExecutionResult result, JobRun run, PrintStream out)
            throws Exception {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(demo.posthogHost())
                        .personalApiKey(demo.personalApiKey())
                        .projectId(demo.projectId())
                        .build();
        try (PostHogClient client = PostHogClient.create(config)) {
            QueryResponse total =
                    PostHogClient.await(client.query().hogql("SELECT count() FROM events"));
            QueryResponse top =
                    PostHogClient.await(
                            client.query()
                                    .hogql(
                                            "SELECT event, count() AS n FROM events GROUP BY event"
                                                    + " ORDER BY n DESC, event LIMIT 5"));
            out.println();
            out.println("Summary");
            out.printf(
                    "  records read:     %d (dead-lettered: %d)%n",
                    PipelineRunner.count(result, PipelineCounters.RECORDS_IN),
                    PipelineRunner.count(result, PipelineCounters.DEAD_LETTERED));
            out.printf(
                    "  events sent:      %d (PostHog now holds %s events, by HogQL)%n",
                    PipelineRunner.count(result, PipelineCounters.EVENTS_OUT),
                    total.results().get(0).get(0));
            out.printf(
                    "  flags evaluated:  %d%n",
                    PipelineRunner.count(result, PipelineCounters.FLAGS_EVALUATED));
            out.printf(
                    "  persons found:    %d events with a person%n",
                    PipelineRunner.count(result, PipelineCounters.PERSONS_FOUND));
            QueryResponse joined =
                    PostHogClient.await(
                            client.query()
                                    .hogql(
                                            "SELECT count() FROM events WHERE"
                                                    + " properties.earlier_events IS NOT NULL"));
            out.printf(
                    "  HogQL join:       %s events got earlier_events%n",
                    joined.results().get(0).get(0));
            out.println("  top events (HogQL):");
            for (List<Object> row : top.results()) {
                out.printf("    %-16s %s%n", row.get(0), row.get(1));
            }
            out.println("  " + run.timing(result));
        }
    }
}
