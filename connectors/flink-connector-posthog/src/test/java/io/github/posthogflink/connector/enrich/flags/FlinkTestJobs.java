package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.testing.MiniClusters;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Runs bounded jobs on a MiniCluster and reads their metrics. */
final class FlinkTestJobs {

    record Run<T>(List<T> output, JobID jobId) {}

    private FlinkTestJobs() {}

    /** One TaskManager with two slots, reporting metrics to {@code reporter}. */
    static MiniClusterExtension miniCluster(InMemoryReporter reporter) {
        return MiniClusters.withSlots(2, reporter.addToConfiguration(new Configuration()));
    }

    static <T> Run<T> run(StreamExecutionEnvironment env, DataStream<T> stream) throws Exception {
        List<T> output = new ArrayList<>();
        JobClient job;
        try (CloseableIterator<T> results = stream.collectAsync()) {
            job = env.executeAsync("flag-enrichment-test");
            results.forEachRemaining(output::add);
        }
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        return new Run<>(output, job.getJobID());
    }

    /** The sum of the enrichers' counter {@code posthog.flags.<name>} over the job's subtasks. */
    static long counter(InMemoryReporter reporter, JobID jobId, String name) {
        long sum = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                reporter.getMetricsByGroup().entrySet()) {
            MetricGroup metricGroup = group.getKey();
            if (!jobId.toString().equals(metricGroup.getAllVariables().get("<job_id>"))) {
                continue;
            }
            Metric metric = group.getValue().get(name);
            String identifier = metricGroup.getMetricIdentifier(name);
            if (metric instanceof Counter c && identifier.endsWith(".posthog.flags." + name)) {
                sum += c.getCount();
            }
        }
        return sum;
    }

    /**
     * {@code count} page views of distinct users: a third set {@code plan} (pro or free) with
     * {@code $set}, half belong to one of 20 companies.
     */
    static List<PostHogEvent> pageViews(int count, long seed) {
        Random random = new Random(seed);
        List<PostHogEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PostHogEvent.Builder event =
                    PostHogEvent.builder("page_viewed", "user-" + i)
                            .property("path", "/page/" + i)
                            .uuid(new UUID(seed, i));
            if (random.nextInt(3) == 0) {
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("plan", random.nextBoolean() ? "pro" : "free");
                event.set(set);
            }
            if (random.nextBoolean()) {
                event.group("company", "acme-" + random.nextInt(20));
            }
            events.add(event.build());
        }
        return events;
    }

    /** The {@code $feature/*} and {@code $active_feature_flags} properties of an event. */
    static Map<String, Object> flagProperties(PostHogEvent event) {
        Map<String, Object> flags = new LinkedHashMap<>();
        event.properties()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("$feature/") || k.equals("$active_feature_flags")) {
                                flags.put(k, v);
                            }
                        });
        return flags;
    }
}
