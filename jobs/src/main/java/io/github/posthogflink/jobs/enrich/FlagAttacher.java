package io.github.posthogflink.jobs.enrich;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.enrich.flags.EvaluationMode;
import io.github.posthogflink.connector.enrich.flags.FeatureFlagEnricher;
import io.github.posthogflink.connector.enrich.flags.FlagEnrichmentOptions;
import io.github.posthogflink.connector.enrich.flags.FlagEventAccessor;
import io.github.posthogflink.jobs.pipeline.PipelineEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds {@code properties.$feature/<key>} and {@code properties.$active_feature_flags} to each
 * event, through the connector's {@link FeatureFlagEnricher} (local evaluation from polled
 * definitions, {@code /flags} for what it cannot decide, or {@code /flags} for everything in remote
 * mode). Events whose flags cannot be evaluated go on without them (counted in the operator's
 * {@code posthog.flags.failures}).
 */
public final class FlagAttacher {
    /** Flink's async timeout: the definitions wait and a remote lookup with its retries fit. */
    static final long ASYNC_TIMEOUT_SECONDS = 60;

    static final int CAPACITY = 200;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private FlagAttacher() {}

    public static DataStream<PipelineEvent> attach(
            DataStream<PipelineEvent> events,
            PostHogClientConfig client,
            EvaluationMode mode,
            List<String> flagKeys) {
        FlagEnrichmentOptions options =
                FlagEnrichmentOptions.builder(client)
                        .mode(mode)
                        .flagKeys(flagKeys.isEmpty() ? null : flagKeys)
                        .build();
        FlagEventAccessor<PipelineEvent> accessor =
                FlagEventAccessor.of(
                        PipelineEvent::distinctId,
                        FlagAttacher::properties,
                        FlagAttacher::withProperties);
        return AsyncDataStream.unorderedWait(
                        events,
                        FeatureFlagEnricher.create(options, accessor),
                        ASYNC_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS,
                        CAPACITY)
                .returns(TypeInformation.of(PipelineEvent.class))
                .name("flags")
                .uid("flags");
    }

    static Map<String, Object> properties(PipelineEvent event) {
        ObjectNode json = JsonEvents.parse(event.json());
        return Json.MAPPER.convertValue(JsonEvents.properties(json), MAP);
    }

    static PipelineEvent withProperties(PipelineEvent event, Map<String, Object> properties) {
        ObjectNode json = JsonEvents.parse(event.json());
        json.set("properties", Json.MAPPER.valueToTree(properties));
        return event.withJson(json.toString());
    }
}
