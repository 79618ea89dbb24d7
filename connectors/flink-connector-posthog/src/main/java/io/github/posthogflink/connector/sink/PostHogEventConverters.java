package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.util.function.SerializableFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Ready-made {@link PostHogEventConverter}s. */
@PublicEvolving
public final class PostHogEventConverters {

    private PostHogEventConverters() {}

    /** Elements that already are {@link PostHogEvent}s. */
    public static PostHogEventConverter<PostHogEvent> events() {
        return (event, context) -> event;
    }

    /**
     * Maps shaped like a capture event: {@code event}, {@code distinct_id}, optional {@code
     * properties}, {@code timestamp} (ISO-8601) and {@code uuid}.
     */
    public static PostHogEventConverter<Map<String, Object>> maps() {
        return new PostHogEventConverter<>() {
            @Override
            public PostHogEvent convert(Map<String, Object> element, SinkWriter.Context context) {
                return Json.convert(element, PostHogEvent.class);
            }

            @Override
            public ObjectNode toJson(Map<String, Object> element, SinkWriter.Context context) {
                return objectNode(Json.MAPPER.valueToTree(element));
            }
        };
    }

    /**
     * JSON strings shaped like a capture event. The JSON goes through as given (after the sink's
     * uuid, timestamp and {@code $lib} rules); what the converter does not check, PostHog does, and
     * a refused event reaches the error handler.
     */
    public static PostHogEventConverter<String> jsonStrings() {
        return new PostHogEventConverter<>() {
            @Override
            public PostHogEvent convert(String element, SinkWriter.Context context) {
                return Json.convert(toJson(element, context), PostHogEvent.class);
            }

            @Override
            public ObjectNode toJson(String element, SinkWriter.Context context) {
                try {
                    return objectNode(Json.MAPPER.readTree(element));
                } catch (JsonProcessingException e) {
                    throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage());
                }
            }
        };
    }

    /** Any type, through a function that builds the event (e.g. with {@link PostHogEvents}). */
    public static <T> PostHogEventConverter<T> of(SerializableFunction<T, PostHogEvent> function) {
        return (element, context) -> function.apply(element);
    }

    private static ObjectNode objectNode(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new InvalidEventException("an event must be a JSON object");
    }
}
