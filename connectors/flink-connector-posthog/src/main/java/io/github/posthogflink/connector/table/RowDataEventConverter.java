package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.sink.InvalidEventException;
import io.github.posthogflink.connector.sink.PostHogEventConverter;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.annotation.Nullable;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a row of a {@code posthog} sink table into a capture event. {@code set} and {@code
 * set_once} become {@code $set} and {@code $set_once} in the properties. A row without a uuid gets
 * a name-based uuid of its content (see {@link #contentIdentity}), so a replayed row keeps its uuid
 * and PostHog collapses the copies.
 */
final class RowDataEventConverter implements PostHogEventConverter<RowData> {
    private static final long serialVersionUID = 1L;

    /** Prefix of the identity string of a row's content. */
    static final String IDENTITY_PREFIX = "posthog-sql/";

    private final SinkRowLayout layout;
    private final int event;
    private final Column distinctId;
    private final int uuid;
    @Nullable private final Column timestamp;
    @Nullable private final Column properties;
    @Nullable private final Column set;
    @Nullable private final Column setOnce;

    RowDataEventConverter(SinkRowLayout layout) {
        this.layout = layout;
        this.event = layout.position(SinkRowLayout.EVENT);
        this.distinctId = Column.of(layout, SinkRowLayout.DISTINCT_ID);
        this.uuid = layout.position(SinkRowLayout.UUID);
        this.timestamp = Column.of(layout, SinkRowLayout.TIMESTAMP);
        this.properties = Column.of(layout, SinkRowLayout.PROPERTIES);
        this.set = Column.of(layout, SinkRowLayout.SET);
        this.setOnce = Column.of(layout, SinkRowLayout.SET_ONCE);
    }

    @Override
    public PostHogEvent convert(RowData row, SinkWriter.Context context) {
        return Json.convert(toJson(row, context), PostHogEvent.class);
    }

    @Override
    public ObjectNode toJson(RowData row, SinkWriter.Context context) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (row.isNullAt(event)) {
            throw new InvalidEventException("event is null");
        }
        out.put("event", row.getString(event).toString());
        if (row.isNullAt(distinctId.position)) {
            throw new InvalidEventException("distinct_id is null");
        }
        out.set("distinct_id", distinctId.value(row));
        ObjectNode props = JsonNodeFactory.instance.objectNode();
        if (properties != null) {
            props.setAll(object(properties.value(row), SinkRowLayout.PROPERTIES));
        }
        if (set != null && !row.isNullAt(set.position)) {
            props.set("$set", object(set.value(row), SinkRowLayout.SET));
        }
        if (setOnce != null && !row.isNullAt(setOnce.position)) {
            props.set("$set_once", object(setOnce.value(row), SinkRowLayout.SET_ONCE));
        }
        out.set("properties", props);
        if (timestamp != null && !row.isNullAt(timestamp.position)) {
            out.set("timestamp", timestamp.value(row));
        }
        if (uuid >= 0 && !row.isNullAt(uuid)) {
            out.put("uuid", row.getString(uuid).toString());
        } else {
            out.put("uuid", EventUuids.fromIdentity(contentIdentity(out)).toString());
        }
        return out;
    }

    /** A refused row in a dead letter: its columns by name, text columns as written. */
    @Override
    public String describe(RowData row) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String name : layout.rowType().getFieldNames()) {
            int position = layout.position(name);
            LogicalType type = layout.type(name);
            out.set(
                    name,
                    RowDataJson.forType(type)
                            .convert(
                                    RowData.createFieldGetter(type, position).getFieldOrNull(row)));
        }
        return out.toString();
    }

    /**
     * The identity of a row's content: {@code posthog-sql/} and the event's JSON (event,
     * distinct_id, properties with $set/$set_once, timestamp when given) with object keys sorted
     * and no spaces. Two rows with the same content get the same uuid.
     */
    static String contentIdentity(ObjectNode event) {
        try {
            return IDENTITY_PREFIX + Json.MAPPER.writeValueAsString(sorted(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize an event", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.setAll(fields);
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static ObjectNode object(JsonNode value, String column) {
        if (value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (value instanceof ObjectNode object) {
            return object;
        }
        throw new InvalidEventException(column + " is not a JSON object");
    }

    /** One optional column and its converter; text columns of object type hold JSON. */
    private record Column(
            int position, RowData.FieldGetter getter, RowDataJson.ToJson json, boolean parse)
            implements java.io.Serializable {

        @Nullable
        static Column of(SinkRowLayout layout, String name) {
            int position = layout.position(name);
            if (position < 0) {
                return null;
            }
            LogicalType type = layout.type(name);
            boolean text = type.is(LogicalTypeFamily.CHARACTER_STRING);
            boolean parse =
                    text
                            && (name.equals(SinkRowLayout.PROPERTIES)
                                    || name.equals(SinkRowLayout.SET)
                                    || name.equals(SinkRowLayout.SET_ONCE));
            return new Column(
                    position,
                    RowData.createFieldGetter(type, position),
                    RowDataJson.forType(type),
                    parse);
        }

        JsonNode value(RowData row) {
            JsonNode node = json.convert(getter.getFieldOrNull(row));
            if (parse && node.isTextual()) {
                try {
                    return Json.MAPPER.readTree(node.asText());
                } catch (JsonProcessingException e) {
                    throw new InvalidEventException("a JSON column is not valid JSON");
                }
            }
            return node;
        }
    }
}
