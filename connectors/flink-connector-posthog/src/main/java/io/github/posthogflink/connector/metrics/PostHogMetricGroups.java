package io.github.posthogflink.connector.metrics;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.function.LongSupplier;

/**
 * The one naming of the connector's own metric groups: {@code posthog.<component>} under the
 * operator's group (the sink writer's, the source reader's, the enricher's), e.g. {@code
 * posthog.sink.eventsSent}. Running totals are {@link Counter}s, levels are gauges; Flink's
 * standard metrics (FLIP-33: {@code numRecordsSendErrors}, {@code numBytesIn}, {@code
 * pendingRecords}, …) stay in the operator's group itself.
 */
@Internal
public final class PostHogMetricGroups {
    /** The sink writer's group. */
    public static final String SINK = "sink";

    /** The feature flag enrichers' group. */
    public static final String FLAGS = "flags";

    /** The person lookups' group. */
    public static final String PERSONS = "persons";

    /** The HogQL source reader's group. */
    public static final String HOGQL = "hogql";

    /** The HogQL snapshot join's group. */
    public static final String JOIN = "join";

    private static final String ROOT = "posthog";

    private PostHogMetricGroups() {}

    /** The group {@code posthog.<component>} under {@code operator}. */
    public static MetricGroup of(MetricGroup operator, String component) {
        return operator.addGroup(ROOT).addGroup(component);
    }

    /** Whether {@code group} is a group {@code posthog.<component>} (for reporters). */
    public static boolean isGroup(MetricGroup group, String component) {
        String[] scope = group.getScopeComponents();
        return scope.length >= 2
                && ROOT.equals(scope[scope.length - 2])
                && component.equals(scope[scope.length - 1]);
    }

    /** A read-only counter whose count is kept elsewhere (a running total read on report). */
    public static Counter countOf(LongSupplier count) {
        return new ReadOnlyCounter(count);
    }

    private record ReadOnlyCounter(LongSupplier count) implements Counter {
        @Override
        public void inc() {
            throw new UnsupportedOperationException("read-only counter");
        }

        @Override
        public void inc(long n) {
            throw new UnsupportedOperationException("read-only counter");
        }

        @Override
        public void dec() {
            throw new UnsupportedOperationException("read-only counter");
        }

        @Override
        public void dec(long n) {
            throw new UnsupportedOperationException("read-only counter");
        }

        @Override
        public long getCount() {
            return count.getAsLong();
        }
    }
}
