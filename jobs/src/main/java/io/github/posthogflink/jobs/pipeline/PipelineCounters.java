package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.connector.metrics.PostHogMetricGroups;

import org.apache.flink.metrics.MetricGroup;

/**
 * Names of the job's accumulators (summed over subtasks, reported in the job result) and of the
 * metrics in group {@code posthog.pipeline}.
 */
public final class PipelineCounters {
    /** Non-blank input records read. */
    public static final String RECORDS_IN = "recordsIn";

    /** Valid events passed on. */
    public static final String EVENTS_VALID = "eventsValid";

    /** Input records written to the dead letters. */
    public static final String DEAD_LETTERED = "deadLettered";

    /**
     * Enriched events the PostHog sink's rules refuse (over its record size limit, or malformed for
     * capture), dead-lettered before the sink instead of being sent. Also in {@link #EVENTS_OUT}:
     * the outputs still get them.
     */
    public static final String CAPTURE_REJECTED = "captureRejected";

    /** Events that went through the whole enrichment (what the outputs receive). */
    public static final String EVENTS_OUT = "eventsOut";

    /** Flag values attached (one per flag and event). */
    public static final String FLAGS_EVALUATED = "flagsEvaluated";

    /** Events that got a person. */
    public static final String PERSONS_FOUND = "personsFound";

    /** Events that got columns of the HogQL join. */
    public static final String HOGQL_JOINED = "hogqlJoined";

    /** The component of the metric group {@code posthog.pipeline}. */
    public static final String METRIC_GROUP = "pipeline";

    /** The group {@code posthog.pipeline} of an operator. */
    public static MetricGroup metricGroup(MetricGroup operator) {
        return PostHogMetricGroups.of(operator, METRIC_GROUP);
    }

    private PipelineCounters() {}
}
