package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.jobs.enrich.JsonEvents;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;

/**
 * Gives every event its top-level {@code person} (null without person enrichment) and counts what
 * leaves the enrichment: events, flag values attached and persons found (accumulators and metrics,
 * see {@link PipelineCounters}). Passes events through.
 */
public class OutputCounter extends RichMapFunction<PipelineEvent, PipelineEvent> {
    private static final long serialVersionUID = 1L;

    private transient LongCounter eventsOut;
    private transient LongCounter flags;
    private transient LongCounter persons;
    private transient Counter eventsOutMetric;

    @Override
    public void open(OpenContext openContext) {
        eventsOut = getRuntimeContext().getLongCounter(PipelineCounters.EVENTS_OUT);
        flags = getRuntimeContext().getLongCounter(PipelineCounters.FLAGS_EVALUATED);
        persons = getRuntimeContext().getLongCounter(PipelineCounters.PERSONS_FOUND);
        eventsOutMetric =
                PipelineCounters.metricGroup(getRuntimeContext().getMetricGroup())
                        .counter(PipelineCounters.EVENTS_OUT);
    }

    @Override
    public PipelineEvent map(PipelineEvent event) {
        eventsOut.add(1);
        eventsOutMetric.inc();
        ObjectNode json = JsonEvents.parse(event.json());
        JsonNode person = json.get("person");
        if (person != null && person.isObject()) {
            persons.add(1);
        }
        JsonNode properties = json.get("properties");
        if (properties instanceof ObjectNode props) {
            Iterator<String> names = props.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.startsWith("$feature/")) {
                    flags.add(1);
                }
            }
        }
        if (person == null) {
            json.putNull("person");
            return event.withJson(json.toString());
        }
        return event;
    }
}
