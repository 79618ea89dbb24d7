package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.http.Json;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.SinkWriter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;

/**
 * Turns a stream element into a PostHog capture event. Ready-made converters are in {@link
 * PostHogEventConverters}. The sink then fixes the uuid and timestamp, adds {@code $lib} and {@code
 * $lib_version}, and serializes the event once.
 */
@FunctionalInterface
@PublicEvolving
public interface PostHogEventConverter<T> extends Serializable {

    PostHogEvent convert(T element, SinkWriter.Context context);

    /**
     * The event as a JSON object. The default serializes {@link #convert}; converters that start
     * from JSON override it to skip the round trip.
     */
    default ObjectNode toJson(T element, SinkWriter.Context context) {
        return Json.MAPPER.valueToTree(convert(element, context));
    }

    /**
     * How an element the converter refused appears in a dead letter's payload. The default is
     * {@code String.valueOf(element)}; override it for types whose {@code toString} says little.
     */
    default String describe(T element) {
        return String.valueOf(element);
    }
}
