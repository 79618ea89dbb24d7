package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import org.slf4j.LoggerFactory;

import java.io.Serializable;

/**
 * Decides what happens to an event the sink cannot deliver (oversized, malformed, or refused by
 * PostHog). Called on the writer's task thread, once per event. Throwing fails the job. Every
 * rejected event is counted in {@code eventsRejected} whatever the handler does.
 */
@FunctionalInterface
@PublicEvolving
public interface PostHogSinkErrorHandler extends Serializable {

    /**
     * Called once per writer, on its task thread, before any rejection: for example to open a
     * client the handler writes through. Throwing fails the job.
     */
    default void open(WriterInitContext context) throws Exception {}

    void onRejected(DeadLetter deadLetter) throws Exception;

    /** Called when the writer closes. */
    default void close() throws Exception {}

    /** The default: the first rejected event fails the job. */
    static PostHogSinkErrorHandler failJob() {
        return deadLetter -> {
            throw new PostHogSinkException("PostHog sink rejected an event: " + deadLetter);
        };
    }

    /**
     * Writes each rejection as a JSON line ({@link DeadLetter#toJson}: reason, detail, uuid, event,
     * payload) to {@code posthog-dead-letters-<subtask>.ndjson} in {@code directory} (created if
     * missing; a path every TaskManager can write, e.g. a shared mount), one file per sink subtask,
     * flushed before the sink goes on. A failed write fails the task.
     */
    static PostHogSinkErrorHandler deadLetterFiles(String directory) {
        return new DeadLetterFiles(directory);
    }

    /**
     * Logs the rejection at WARN (uuid, event name, reason; never the payload) and goes on. The
     * event is counted in {@code eventsRejected}.
     */
    static PostHogSinkErrorHandler logAndContinue() {
        return deadLetter ->
                LoggerFactory.getLogger(PostHogSinkErrorHandler.class)
                        .warn("Dropped an event PostHog cannot take: {}", deadLetter);
    }
}
