package io.github.posthogflink.connector.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's metrics as a MiniCluster's {@link InMemoryReporter} saw them, by identifier suffix. */
public final class ReportedMetrics {
    private final Map<String, Metric> metrics;

    private ReportedMetrics(Map<String, Metric> metrics) {
        this.metrics = metrics;
    }

    public static ReportedMetrics of(InMemoryReporter reporter, JobID job) {
        return new ReportedMetrics(reporter.getMetricsByIdentifiers(job));
    }

    /** The metrics whose identifier ends with {@code suffix} (e.g. {@code .posthog.sink.x}). */
    public List<Metric> all(String suffix) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The sum over subtasks of the counters ending with {@code suffix}; fails if one is not. */
    public long counted(String suffix) {
        List<Metric> found = all(suffix);
        assertThat(found)
                .as(suffix + " in " + metrics.keySet())
                .isNotEmpty()
                .allMatch(m -> m instanceof Counter);
        return found.stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    /** The value of the one gauge ending with {@code suffix}. */
    public long gauged(String suffix) {
        List<Metric> found = all(suffix);
        assertThat(found)
                .as(suffix + " in " + metrics.keySet())
                .singleElement()
                .isInstanceOf(Gauge.class);
        return ((Number) ((Gauge<?>) found.get(0)).getValue()).longValue();
    }
}
