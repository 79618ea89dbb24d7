package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.connector.sink.DeadLetter;
import io.github.posthogflink.connector.sink.PostHogSinkErrorHandler;
import io.github.posthogflink.jobs.io.DeadLetterDestination;

import org.apache.flink.api.connector.sink2.WriterInitContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

/**
 * The PostHog sink's error handler: an event the sink does not deliver (PostHog refused it with a
 * 400 that bisection narrowed to it, or one that slipped past {@link CaptureCheck}) is written to
 * the pipeline's dead-letter destination as {@link DeadLetter#toJson}: {@code reason}, {@code
 * detail}, {@code uuid}, {@code event} and the {@code payload} as it would have been sent. Without
 * a destination it is logged (uuid, name, reason; never the payload). Either way the sink counts it
 * in {@code eventsRejected}. A failed write fails the task, so the letter is retried from the last
 * checkpoint rather than lost.
 */
public final class SinkDeadLetters implements PostHogSinkErrorHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SinkDeadLetters.class);

    @Nullable private final DeadLetterDestination destination;

    public SinkDeadLetters(@Nullable DeadLetterDestination destination) {
        this.destination = destination;
    }

    @Override
    public void open(WriterInitContext context) {
        if (destination != null) {
            destination.open();
        }
    }

    @Override
    public void onRejected(DeadLetter deadLetter) throws Exception {
        if (destination == null) {
            LOG.warn(
                    "Dropped an event PostHog cannot take (no dead-letter output): {}", deadLetter);
            return;
        }
        destination.write(deadLetter.toJson());
    }

    @Override
    public void close() {
        if (destination != null) {
            destination.close();
        }
    }
}
