package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.connector.testing.JobFailures;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The budget policies as a job sees them. */
class PersonLookupBudgetJobTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.withSlots(1, REPORTER.addToConfiguration(new Configuration()));

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void seed() {
        posthog.reset();
        for (int i = 0; i < 50; i++) {
            posthog.seed().createPerson("id-" + i, Map.of("i", i));
        }
    }

    private PersonLookupOptions.Builder scarceBudget() {
        // Two requests an hour, five keys a request: 10 of 50 keys can be served.
        return PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                .maxBatchSize(5)
                .batchWindow(Duration.ofSeconds(5))
                .timeout(Duration.ofSeconds(1))
                .budgetWindows(new Window(2, Duration.ofHours(1)));
    }

    private List<String> run(PersonLookupOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> "id-" + i).toList();
        PersonLookup<String, String> lookup =
                new PersonLookup<>(options, id -> id, (id, r) -> id + "|" + r.status());
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                PersonEnrichment.apply(env.fromData(ids), lookup, options)
                        .returns(Types.STRING)
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private JobExecutionResult runDiscarding(PersonLookupOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> "id-" + i).toList();
        PersonLookup<String, String> lookup =
                new PersonLookup<>(options, id -> id, (id, r) -> id + "|" + r.status());
        PersonEnrichment.apply(env.fromData(ids), lookup, options)
                .returns(Types.STRING)
                .sinkTo(new DiscardingSink<>());
        return env.execute("person lookup under a scarce budget");
    }

    /**
     * As {@link #runDiscarding}, from a source that never ends: a bounded source's coordinator
     * sends its last event while the task fails, and Flink then reports that lost event as the
     * job's cause (and nowhere the task's own failure), so the budget failure could not be found.
     */
    private void runUnbounded(PersonLookupOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataGeneratorSource<String> ids =
                new DataGeneratorSource<>(i -> "id-" + (i % 50), Long.MAX_VALUE, Types.STRING);
        PersonLookup<String, String> lookup =
                new PersonLookup<>(options, id -> id, (id, r) -> id + "|" + r.status());
        PersonEnrichment.apply(
                        env.fromSource(ids, WatermarkStrategy.noWatermarks(), "ids"),
                        lookup,
                        options)
                .returns(Types.STRING)
                .sinkTo(new DiscardingSink<>());
        env.execute("person lookup under a scarce budget, unbounded");
    }

    @Test
    void emitWithoutPersonSkipsWhatTheBudgetCannotServe() throws Exception {
        List<String> out =
                run(scarceBudget().budgetPolicy(BudgetPolicy.EMIT_WITHOUT_PERSON).build());

        assertThat(out).hasSize(50);
        assertThat(out.stream().filter(s -> s.endsWith("|FOUND"))).hasSize(10);
        assertThat(out.stream().filter(s -> s.endsWith("|SKIPPED_BUDGET"))).hasSize(40);
        assertThat(TestkitPersons.batchRequests(posthog)).hasSize(2);
    }

    @Test
    void theOperatorsMetricsCountWhatTheBudgetSkipped() throws Exception {
        JobExecutionResult result =
                runDiscarding(
                        scarceBudget().budgetPolicy(BudgetPolicy.EMIT_WITHOUT_PERSON).build());

        Map<String, Metric> metrics = REPORTER.getMetricsByIdentifiers(result.getJobID());
        assertThat(metric(metrics, "emittedWithoutPerson")).isEqualTo(40);
        assertThat(metric(metrics, "skippedBudget")).isEqualTo(40);
        assertThat(metric(metrics, "found")).isEqualTo(10);
        assertThat(metric(metrics, "requests")).isEqualTo(2);
        assertThat(metric(metrics, "cacheMisses")).isEqualTo(50);
        assertThat(metric(metrics, "cachedRows")).isEqualTo(10);
        // running totals are counters, levels are gauges
        assertThat(metrics)
                .hasEntrySatisfying(
                        key(metrics, "skippedBudget"),
                        m -> assertThat(m).isInstanceOf(Counter.class))
                .hasEntrySatisfying(
                        key(metrics, "cacheMisses"), m -> assertThat(m).isInstanceOf(Counter.class))
                .hasEntrySatisfying(
                        key(metrics, "cachedRows"), m -> assertThat(m).isInstanceOf(Gauge.class));
    }

    private static String key(Map<String, Metric> metrics, String name) {
        return metrics.keySet().stream()
                .filter(k -> k.endsWith(".posthog.persons." + name))
                .findFirst()
                .orElseThrow();
    }

    /** A counter's count or a gauge's value in the group {@code posthog.persons}. */
    private static long metric(Map<String, Metric> metrics, String name) {
        List<Metric> found =
                metrics.entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".posthog.persons." + name))
                        .map(Map.Entry::getValue)
                        .toList();
        assertThat(found).as(name).hasSize(1);
        Metric metric = found.get(0);
        return metric instanceof Counter counter
                ? counter.getCount()
                : ((Number) ((Gauge<?>) metric).getValue()).longValue();
    }

    @Test
    void failPolicyFailsTheJob(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        PersonLookupOptions options = scarceBudget().budgetPolicy(BudgetPolicy.FAIL).build();

        Throwable failure = catchThrowable(() -> runUnbounded(options));

        assertThat(failure).as("the job fails").isNotNull();
        assertThat(JobFailures.describe(miniCluster, failure))
                .contains(BudgetExceededException.class.getName());
        assertThat(TestkitPersons.batchRequests(posthog)).hasSizeLessThanOrEqualTo(2);
    }
}
