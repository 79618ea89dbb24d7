package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.RequestListener;
import io.github.posthogflink.client.http.Secrets;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends buffered events to PostHog's {@code /batch/} (or, one by one, to {@code /i/v0/e/}).
 * Retryable failures (5xx, 408, 429, timeouts, connection errors) put the batch back into the
 * buffer after a backoff (honouring {@code Retry-After}); AsyncSink's AIMD rate limiting shrinks
 * the traffic meanwhile. Retries are bounded by the delivery timeout (and optionally a retry
 * count): past it, the job fails and Flink replays from the last checkpoint. Refused events go to
 * the {@link PostHogSinkErrorHandler} on the task thread.
 */
public class PostHogSinkWriter<T> extends AsyncSinkWriter<T, PostHogRequestEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(PostHogSinkWriter.class);

    private final PostHogSinkErrorHandler errorHandler;
    private final MailboxExecutor mailbox;
    private final SinkMetrics metrics;
    private final HttpTransport transport;
    private final CaptureSender sender;
    private final RetryBackoff backoff;
    private final ScheduledExecutorService retryTimer;
    private final RetryBudget retryBudget;
    private final Duration deliveryTimeout;
    private final int maxRetries;

    PostHogSinkWriter(
            ElementConverter<T, PostHogRequestEntry> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<PostHogRequestEntry>> states,
            PostHogSinkSettings settings) {
        super(converter, context, configuration, states);
        this.errorHandler = settings.errorHandler();
        try {
            errorHandler.open(context);
        } catch (Exception e) {
            throw new PostHogSinkException("The PostHog sink's error handler failed to open", e);
        }
        this.mailbox = context.getMailboxExecutor();
        this.metrics = new SinkMetrics(context.metricGroup());
        for (BufferedRequestState<PostHogRequestEntry> state : states) {
            metrics.pendingEvents.addAndGet(state.getBufferedRequestEntries().size());
        }
        RequestListener listener =
                new RequestListener() {
                    @Override
                    public void onResponse(String endpoint, int status, long nanos) {
                        metrics.latency(nanos);
                    }
                };
        this.transport =
                new HttpTransport(
                        settings.clientConfig().toBuilder().retryPolicy(RetryPolicy.NONE).build(),
                        listener);
        this.sender =
                new CaptureSender(
                        transport,
                        new BatchEnvelope(
                                settings.clientConfig().projectApiKey(),
                                settings.historicalMigration()),
                        settings.captureEndpoint(),
                        settings.gzip(),
                        metrics);
        this.backoff =
                new RetryBackoff(
                        settings.initialBackoff(), settings.maxBackoff(), settings.maxRetryAfter());
        this.deliveryTimeout = settings.deliveryTimeout();
        this.maxRetries = settings.maxRetries();
        this.retryBudget = new RetryBudget(deliveryTimeout, maxRetries, System::nanoTime);
        this.retryTimer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "posthog-sink-retry");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        metrics.pendingEvents.incrementAndGet();
        super.write(element, context);
    }

    @Override
    protected void submitRequestEntries(
            List<PostHogRequestEntry> entries, ResultHandler<PostHogRequestEntry> result) {
        List<PostHogRequestEntry> toSend = new ArrayList<>(entries.size());
        List<DeadLetter> refused = new ArrayList<>();
        for (PostHogRequestEntry entry : entries) {
            if (entry.isRejected()) {
                refused.add(entry.toDeadLetter(entry.rejectReason(), entry.rejectDetail()));
            } else {
                toSend.add(entry);
            }
        }
        if (!refused.isEmpty()) {
            try {
                handleRejected(refused);
            } catch (Exception e) {
                result.completeExceptionally(e);
                return;
            }
            metrics.pendingEvents.addAndGet(-refused.size());
        }
        if (toSend.isEmpty()) {
            result.complete();
            return;
        }
        sender.send(toSend)
                .whenComplete(
                        (outcome, error) -> {
                            if (error != null) {
                                result.completeExceptionally(asException(error));
                            } else {
                                onOutcome(toSend, outcome, result);
                            }
                        });
    }

    private void onOutcome(
            List<PostHogRequestEntry> sent,
            SendOutcome outcome,
            ResultHandler<PostHogRequestEntry> result) {
        if (outcome.fatal() != null) {
            result.completeExceptionally(asException(outcome.fatal()));
            return;
        }
        if (!outcome.rejected().isEmpty()) {
            // Runs on the task thread before the completion below (the mailbox is FIFO), so a
            // checkpoint never completes with a refused event unhandled.
            mailbox.execute(
                    () -> handleRejected(outcome.rejected()), "PostHog sink: refused events");
        }
        // Delivered, or refused by PostHog (handled on the task thread before the completion).
        metrics.pendingEvents.addAndGet(-(sent.size() - outcome.toRetry().size()));
        if (outcome.toRetry().isEmpty()) {
            retryBudget.settled(sent);
            backoff.succeeded();
            result.complete();
            return;
        }
        if (outcome.toRetry().size() < sent.size()) {
            retryBudget.settled(without(sent, outcome.toRetry()));
        }
        String cause = outcome.retryCause() == null ? "connection" : outcome.retryCause();
        metrics.retried(cause);
        Duration proposed = backoff.failed(outcome.retryAfter());
        RetryBudget.Decision decision = retryBudget.failed(outcome.toRetry(), proposed);
        if (decision instanceof RetryBudget.GiveUp giveUp) {
            PostHogSinkException failure =
                    DeliveryFailures.gaveUp(giveUp, outcome, cause, deliveryTimeout, maxRetries);
            LOG.error("{}", failure.getMessage());
            result.completeExceptionally(failure);
            return;
        }
        Duration delay = ((RetryBudget.Retry) decision).delay();
        LOG.warn(
                "PostHog capture failed ({}); retrying {} events in {} ms ({} consecutive"
                        + " failures)",
                DeliveryFailures.describe(cause, outcome.retryError()),
                outcome.toRetry().size(),
                delay.toMillis(),
                backoff.consecutiveFailures());
        retryTimer.schedule(
                () -> result.retryForEntries(outcome.toRetry()),
                delay.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private static List<PostHogRequestEntry> without(
            List<PostHogRequestEntry> all, List<PostHogRequestEntry> removed) {
        Set<PostHogRequestEntry> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        drop.addAll(removed);
        List<PostHogRequestEntry> rest = new ArrayList<>(all.size() - removed.size());
        for (PostHogRequestEntry entry : all) {
            if (!drop.contains(entry)) {
                rest.add(entry);
            }
        }
        return rest;
    }

    private void handleRejected(List<DeadLetter> deadLetters) throws Exception {
        for (DeadLetter deadLetter : deadLetters) {
            metrics.eventsRejected.inc();
            errorHandler.onRejected(deadLetter);
        }
    }

    @Override
    protected long getSizeInBytes(PostHogRequestEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        transport.close();
        try {
            errorHandler.close();
        } catch (Exception e) {
            LOG.warn(
                    "The PostHog sink's error handler failed to close: {}",
                    Secrets.redact(e.toString()));
        }
        super.close();
    }

    private static Exception asException(Throwable error) {
        return error instanceof Exception e ? e : new PostHogSinkException(error.toString(), error);
    }
}
