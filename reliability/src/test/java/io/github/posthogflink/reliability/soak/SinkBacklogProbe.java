package io.github.posthogflink.reliability.soak;

import io.github.posthogflink.reliability.cluster.FlinkRestClient;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The PostHog sink's backlog, read through Flink's REST API: events that entered the sink writer
 * ({@code numRecordsIn}) and are neither sent ({@code posthog.sink.eventsSent}) nor rejected
 * ({@code posthog.sink.eventsRejected}), summed over its subtasks. That is what the sink holds in
 * memory: its buffer, the requests in flight and the batches waiting for a retry. The three
 * counters belong to the same attempt (a restore starts them all at zero), so the difference stays
 * meaningful across failovers.
 */
public final class SinkBacklogProbe {
    private final FlinkRestClient rest;
    private final String jobId;

    public SinkBacklogProbe(FlinkRestClient rest, String jobId) {
        this.rest = rest;
        this.jobId = jobId;
    }

    /** The backlog in events; empty while the sink's metrics are not reported (a restart). */
    public OptionalDouble events() throws IOException {
        for (String vertexId : rest.vertices(jobId).keySet()) {
            Optional<String> sent =
                    rest.vertexMetricIds(jobId, vertexId).stream()
                            .filter(id -> id.endsWith(".posthog.sink.eventsSent"))
                            .findFirst();
            if (sent.isEmpty()) {
                continue;
            }
            String operator = sent.get().substring(0, sent.get().indexOf('.'));
            String in = operator + ".numRecordsIn";
            String rejected = sent.get().replace("eventsSent", "eventsRejected");
            Map<String, Double> values =
                    rest.summedVertexMetrics(jobId, vertexId, List.of(in, sent.get(), rejected));
            if (values.size() < 3) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(
                    values.get(in) - values.get(sent.get()) - values.get(rejected));
        }
        return OptionalDouble.empty();
    }
}
