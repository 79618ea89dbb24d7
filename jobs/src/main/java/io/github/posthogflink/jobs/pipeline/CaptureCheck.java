package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.PostHogElementConverter;
import io.github.posthogflink.connector.sink.PostHogRequestEntry;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Applies the PostHog sink's own conversion rules ({@link PostHogElementConverter}: the same
 * converter, identity and record size limit the sink gets) before the sink, so the events it would
 * refuse without sending (over 1 MiB once converted, or malformed for capture) go to {@link
 * EventParser#DEAD_LETTERS} with their input position, counted in {@code captureRejected}. The rest
 * pass unchanged; the sink converts them again.
 */
public class CaptureCheck extends ProcessFunction<PipelineEvent, PipelineEvent> {
    private static final long serialVersionUID = 1L;

    private final PostHogElementConverter<PipelineEvent> rules;
    private transient LongCounter rejected;
    private transient Counter rejectedMetric;

    /**
     * @param maxRecordSizeInBytes the sink's {@code maxRecordSizeInBytes}
     */
    public CaptureCheck(long maxRecordSizeInBytes) {
        this.rules =
                new PostHogElementConverter<>(
                        new CaptureConverter(),
                        PipelineEvent::uuid,
                        false,
                        maxRecordSizeInBytes,
                        Clock.systemUTC());
    }

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getLongCounter(PipelineCounters.CAPTURE_REJECTED);
        rejectedMetric =
                PipelineCounters.metricGroup(getRuntimeContext().getMetricGroup())
                        .counter(PipelineCounters.CAPTURE_REJECTED);
    }

    @Override
    public void processElement(PipelineEvent event, Context ctx, Collector<PipelineEvent> out) {
        PostHogRequestEntry entry = rules.apply(event, new WriterContext(ctx.timestamp()));
        if (!entry.isRejected()) {
            out.collect(event);
            return;
        }
        rejected.add(1);
        rejectedMetric.inc();
        ctx.output(EventParser.DEAD_LETTERS, deadLetter(event, entry));
    }

    static String deadLetter(PipelineEvent event, PostHogRequestEntry entry) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("reason", entry.rejectReason().code());
        out.put("detail", entry.rejectDetail());
        out.put("source", event.source());
        out.put("uuid", event.uuid());
        out.put("event", entry.event());
        out.put("payload", new String(entry.json(), StandardCharsets.UTF_8));
        return out.toString();
    }

    /** What the sink's converter sees of a record: its timestamp. */
    private record WriterContext(Long timestamp) implements SinkWriter.Context {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }
    }
}
