package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.PostHogEventConverter;
import io.github.posthogflink.jobs.enrich.JsonEvents;

import org.apache.flink.api.connector.sink2.SinkWriter;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The capture event of an enriched event: its JSON without the top-level {@code person} (which is
 * output-only; PostHog's capture does not take it).
 */
public final class CaptureConverter implements PostHogEventConverter<PipelineEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public PostHogEvent convert(PipelineEvent element, SinkWriter.Context context) {
        return Json.convert(toJson(element, context), PostHogEvent.class);
    }

    @Override
    public ObjectNode toJson(PipelineEvent element, SinkWriter.Context context) {
        ObjectNode json = JsonEvents.parse(element.json());
        json.remove("person");
        return json;
    }
}
