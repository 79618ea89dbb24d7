package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.sink.InvalidEventException;
import io.github.posthogflink.jobs.io.RawRecord;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Validates raw input records. A valid event (a JSON object with a non-empty {@code event}, a
 * {@code distinct_id} at the top or in {@code properties}, and a canonical uuid if it has one) goes
 * on with its uuid fixed: its own, or the sink's deterministic v5 uuid of its source position. Any
 * other record goes to {@link #DEAD_LETTERS} as a JSON object with {@code reason}, {@code detail},
 * {@code source} (the position) and the {@code payload} (or {@code payload_base64} when it is not
 * UTF-8); an {@linkplain RawRecord#oversized() oversized} record ({@code too_large}) also has its
 * {@code size} and {@code payload_truncated: true}, its payload being only its beginning. The job
 * goes on either way.
 */
public class EventParser extends ProcessFunction<RawRecord, PipelineEvent> {
    /** A record is one JSON value: a second value on the line is an error, not dropped. */
    private static final ObjectReader ONE_JSON_VALUE =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final long serialVersionUID = 1L;

    /** The side output of rejected records. */
    public static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient LongCounter recordsIn;
    private transient LongCounter valid;
    private transient LongCounter deadLettered;
    private transient Counter recordsInMetric;
    private transient Counter deadLetteredMetric;

    @Override
    public void open(OpenContext openContext) {
        recordsIn = getRuntimeContext().getLongCounter(PipelineCounters.RECORDS_IN);
        valid = getRuntimeContext().getLongCounter(PipelineCounters.EVENTS_VALID);
        deadLettered = getRuntimeContext().getLongCounter(PipelineCounters.DEAD_LETTERED);
        MetricGroup group = PipelineCounters.metricGroup(getRuntimeContext().getMetricGroup());
        recordsInMetric = group.counter(PipelineCounters.RECORDS_IN);
        deadLetteredMetric = group.counter(PipelineCounters.DEAD_LETTERED);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<PipelineEvent> out) {
        recordsIn.add(1);
        recordsInMetric.inc();
        try {
            out.collect(parse(record));
            valid.add(1);
        } catch (Rejected rejected) {
            deadLettered.add(1);
            deadLetteredMetric.inc();
            ctx.output(DEAD_LETTERS, deadLetter(record, rejected.reason, rejected.getMessage()));
        }
    }

    /** Parses one record; package-private for tests. */
    static PipelineEvent parse(RawRecord record) throws Rejected {
        if (record.oversized()) {
            throw new Rejected(
                    "too_large",
                    "the record is "
                            + record.size()
                            + " bytes, more than the "
                            + RawRecord.MAX_RECORD_BYTES
                            + "-byte limit; the payload holds its first "
                            + record.payload().length
                            + " bytes");
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(record.payload()))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new Rejected("invalid_utf8", "the record is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = ONE_JSON_VALUE.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejected("invalid_json", "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode event)) {
            throw new Rejected("invalid_json", "an event must be a JSON object");
        }
        JsonNode name = event.get("event");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            throw new Rejected("missing_event", "no event name");
        }
        JsonNode properties = event.get("properties");
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            throw new Rejected("invalid_json", "properties must be a JSON object");
        }
        String distinctId = distinctId(event.get("distinct_id"));
        if (distinctId == null && properties instanceof ObjectNode props) {
            distinctId = distinctId(props.get("distinct_id"));
        }
        if (distinctId == null) {
            throw new Rejected("missing_distinct_id", "no distinct_id");
        }
        event.put("distinct_id", distinctId);
        JsonNode uuidNode = event.get("uuid");
        String uuid;
        if (uuidNode == null || uuidNode.isNull()) {
            uuid = EventUuids.fromIdentity(record.position()).toString();
        } else {
            try {
                uuid = EventUuids.validate(uuidNode.asText());
            } catch (InvalidEventException e) {
                throw new Rejected("invalid_uuid", e.getMessage());
            }
        }
        event.put("uuid", uuid);
        return new PipelineEvent(uuid, distinctId, event.toString(), record.position());
    }

    private static String distinctId(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText().trim();
        return value.isEmpty() ? null : value;
    }

    static String deadLetter(RawRecord record, String reason, String detail) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("reason", reason);
        out.put("detail", detail);
        out.put("source", record.position());
        if (record.oversized()) {
            out.put("size", record.size());
            out.put("payload_truncated", true);
        }
        try {
            out.put(
                    "payload",
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(record.payload()))
                            .toString());
        } catch (CharacterCodingException e) {
            out.put("payload_base64", Base64.getEncoder().encodeToString(record.payload()));
        }
        return out.toString();
    }

    /** Why a record is dead-lettered: a short {@code reason} code and a detail message. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Rejected(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
