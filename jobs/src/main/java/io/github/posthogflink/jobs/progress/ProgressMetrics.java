package io.github.posthogflink.jobs.progress;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;
import io.github.posthogflink.jobs.pipeline.PipelineCounters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import javax.annotation.Nullable;

import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A metric reporter for a local MiniCluster run: it keeps the metrics a progress line needs (the
 * pipeline's {@code recordsIn}, {@code eventsOut}, {@code deadLettered}, {@code captureRejected};
 * the PostHog sink's {@code posthog.sink.eventsSent}, {@code eventsRejected}, {@code
 * pendingEvents}) and sums them across subtasks on demand. Counters of subtasks that ended keep
 * counting in the totals. Registered for one run by {@link #addTo}; found again by that run's id
 * ({@link #of}).
 */
public final class ProgressMetrics implements MetricReporter {
    static final String REPORTER = "posthog-pipeline-progress";
    static final String RUN = "run";

    /** The PostHog sink's operator name ({@code PipelineJob} names it {@code posthog}). */
    static final String SINK_OPERATOR = "posthog";

    private static final Map<String, ProgressMetrics> RUNS = new ConcurrentHashMap<>();

    /** What a metric counts towards. */
    enum Role {
        RECORDS_READ,
        EVENTS_OUT,
        EVENTS_SENT,
        DEAD_LETTERED,
        PENDING
    }

    private final Map<Metric, Role> live = new ConcurrentHashMap<>();
    private final Map<Role, AtomicLong> ended = new EnumMap<>(Role.class);
    @Nullable private String run;

    public ProgressMetrics() {
        for (Role role : Role.values()) {
            ended.put(role, new AtomicLong());
        }
    }

    /** Adds this reporter for run {@code run} to a local environment's configuration. */
    public static Configuration addTo(Configuration configuration, String run) {
        String prefix = "metrics.reporter." + REPORTER + ".";
        configuration.setString(prefix + "factory.class", Factory.class.getName());
        configuration.setString(prefix + RUN, run);
        return configuration;
    }

    /** The reporter of a run, once its MiniCluster has started. */
    @Nullable
    public static ProgressMetrics of(String run) {
        return RUNS.get(run);
    }

    @Override
    public void open(MetricConfig config) {
        run = config.getString(RUN, null);
        if (run != null) {
            RUNS.put(run, this);
        }
    }

    @Override
    public void close() {
        if (run != null) {
            RUNS.remove(run, this);
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Role role = role(name, group);
        if (role != null) {
            live.put(metric, role);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        Role role = live.remove(metric);
        if (role != null && role != Role.PENDING) {
            ended.get(role).addAndGet(value(metric));
        }
    }

    /** Whether the job's operators have registered their metrics yet. */
    public boolean started() {
        return !live.isEmpty();
    }

    /** The totals now. */
    public Progress snapshot() {
        Map<Role, Long> sums = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            sums.put(role, role == Role.PENDING ? 0 : ended.get(role).get());
        }
        live.forEach((metric, role) -> sums.merge(role, value(metric), Long::sum));
        return new Progress(
                sums.get(Role.RECORDS_READ),
                sums.get(Role.EVENTS_OUT),
                sums.get(Role.EVENTS_SENT),
                sums.get(Role.PENDING),
                sums.get(Role.DEAD_LETTERED));
    }

    @Nullable
    static Role role(String name, MetricGroup group) {
        if (PostHogMetricGroups.isGroup(group, PipelineCounters.METRIC_GROUP)) {
            return switch (name) {
                case PipelineCounters.RECORDS_IN -> Role.RECORDS_READ;
                case PipelineCounters.EVENTS_OUT -> Role.EVENTS_OUT;
                case PipelineCounters.DEAD_LETTERED, PipelineCounters.CAPTURE_REJECTED ->
                        Role.DEAD_LETTERED;
                default -> null;
            };
        }
        String operator = group.getAllVariables().getOrDefault("<operator_name>", "");
        if (!operator.equals(SINK_OPERATOR) && !operator.startsWith(SINK_OPERATOR + ":")
                || !PostHogMetricGroups.isGroup(group, PostHogMetricGroups.SINK)) {
            return null;
        }
        return switch (name) {
            case "eventsSent" -> Role.EVENTS_SENT;
            case "eventsRejected" -> Role.DEAD_LETTERED;
            case "pendingEvents" -> Role.PENDING;
            default -> null;
        };
    }

    private static long value(Metric metric) {
        if (metric instanceof Counter counter) {
            return counter.getCount();
        }
        if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    /** Creates the reporter from {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new ProgressMetrics();
        }
    }
}
