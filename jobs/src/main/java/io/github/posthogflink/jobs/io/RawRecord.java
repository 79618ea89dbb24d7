package io.github.posthogflink.jobs.io;

import java.io.Serializable;

/**
 * An input record as read: its bytes (not yet decoded, so invalid UTF-8 can be detected) and its
 * position in the source, e.g. {@code file:/data/events.ndjson:42} or {@code kafka:events/3/1042}.
 * The position is stable across reruns: events without a uuid get one derived from it.
 */
public record RawRecord(byte[] payload, String position) implements Serializable {

    public static String filePosition(String path, long lineNumber) {
        return "file:" + path + ":" + lineNumber;
    }

    public static String kafkaPosition(String topic, int partition, long offset) {
        return "kafka:" + topic + "/" + partition + "/" + offset;
    }
}
