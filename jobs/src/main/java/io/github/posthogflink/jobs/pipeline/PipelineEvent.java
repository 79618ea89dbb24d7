package io.github.posthogflink.jobs.pipeline;

import java.io.Serializable;

/**
 * A valid capture event inside the pipeline: its uuid (own or derived), distinct id, the JSON
 * object that is written out (with enrichment) and, without its {@code person}, sent to PostHog,
 * and the position of the input record it came from (for dead letters). {@link #toString()} shows
 * the uuid and distinct id only: Flink puts elements into exception messages (an async operator's
 * failure names its record), and an event's content never belongs in a log.
 */
public record PipelineEvent(String uuid, String distinctId, String json, String source)
        implements Serializable {

    public PipelineEvent withJson(String newJson) {
        return new PipelineEvent(uuid, distinctId, newJson, source);
    }

    @Override
    public String toString() {
        return "PipelineEvent[uuid=" + uuid + ", distinctId=" + distinctId + "]";
    }
}
