package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.http.RequestListener;
import io.github.posthogflink.client.http.Secrets;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends buffered events to PostHog's {@code /batch/} (or, one by one, to {@code /i/v0/e/}).
 * Retryable failures (5xx, 408, 429, timeouts, connection errors) put the batch back into the
 * buffer after a backoff (honouring {@code Retry-After}); AsyncSink's AIMD rate limiting shrinks
 * the traffic meanwhile. Retries are bounded by the delivery timeout (and optionally a retry
 * count): past it, the job fails and Flink replays from the last checkpoint. Refused events go to
 * the {@link PostHogSinkErrorHandler} on the task thread.
 */
@Internal
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
    private final CaptureRateLimitingStrategy rateLimiting;

    private final Duration requestTimeout;

    PostHogSinkWriter(
            ElementConverter<T, PostHogRequestEntry> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<PostHogRequestEntry>> states,
            PostHogSinkSettings settings,
            CaptureRateLimitingStrategy rateLimiting,
            Duration requestTimeout) {
        super(converter, context, configuration, states);
        this.rateLimiting = rateLimiting;
        this.requestTimeout = requestTimeout;
        this.errorHandler = settings.errorHandler();
        try {
            errorHandler.open(context);
        } catch (Exception e) {
            throw new PostHogSinkException("The PostHog sink's error handler failed to open", e);
        }
        this.mailbox = context.getMailboxExecutor();
        this.metrics = new SinkMetrics(context.metricGroup());
        for (BufferedRequestState<PostHogRequestEntry> state : states) {
            metrics.pending(state.getBufferedRequestEntries().size());
        }
        // Keys from the environment or a file are read here, on the TaskManager.
        PostHogClientConfig clientConfig =
                settings.clientConfig().resolveCredentials(PostHogCredentials.Key.PROJECT_API_KEY);
        this.transport =
                new HttpTransport(
                        clientConfig.toBuilder().retryPolicy(RetryPolicy.NONE).build(),
                        RequestListener.NONE);
        this.sender =
                new CaptureSender(
                        transport,
                        new BatchEnvelope(
                                clientConfig.projectApiKey(), settings.historicalMigration()),
                        settings.captureEndpoint(),
                        settings.gzip(),
                        metrics);
        this.backoff =
                new RetryBackoff(
                        settings.initialBackoff(), settings.maxBackoff(), settings.maxRetryAfter());
        this.deliveryTimeout = settings.deliveryTimeout();
        this.maxRetries = settings.maxRetries();
        this.retryBudget = new RetryBudget(deliveryTimeout, maxRetries, System::nanoTime);
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "posthog-sink-retry");
                            t.setDaemon(true);
                            return t;
                        });
        // Every request schedules its timeout and cancels it when answered: without this, the
        // cancelled timeouts (and the batches they reference) would stay queued for minutes.
        timer.setRemoveOnCancelPolicy(true);
        this.retryTimer = timer;
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        metrics.pending(1);
        super.write(element, context);
    }

    @Override
    protected void submitRequestEntries(
            List<PostHogRequestEntry> entries, ResultHandler<PostHogRequestEntry> result) {
        List<PostHogRequestEntry> toSend = new ArrayList<>(entries.size());
        List<DeadLetter> refused = null;
        for (PostHogRequestEntry entry : entries) {
            if (entry.isRejected()) {
                if (refused == null) {
                    refused = new ArrayList<>();
                }
                refused.add(entry.toDeadLetter(entry.rejectReason(), entry.rejectDetail()));
            } else {
                toSend.add(entry);
            }
        }
        if (refused != null) {
            try {
                handleRejected(refused);
            } catch (Exception e) {
                result.completeExceptionally(e);
                return;
            }
            metrics.pending(-refused.size());
        }
        if (toSend.isEmpty()) {
            result.complete();
            return;
        }
        Attempt attempt = new Attempt(toSend, result);
        attempt.timeout =
                retryTimer.schedule(
                        () -> onTaskThread(() -> timedOut(attempt)),
                        requestTimeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        sender.send(toSend)
                .whenComplete(
                        (outcome, error) -> onTaskThread(() -> onAnswer(attempt, outcome, error)));
    }

    /** One submitted request; answered or timed out, whichever comes first (task thread). */
    private static final class Attempt {
        final List<PostHogRequestEntry> entries;
        final ResultHandler<PostHogRequestEntry> result;
        @Nullable ScheduledFuture<?> timeout;
        boolean done;

        Attempt(List<PostHogRequestEntry> entries, ResultHandler<PostHogRequestEntry> result) {
            this.entries = entries;
            this.result = result;
        }
    }

    /** Answers and timeouts are handled on the task thread, in order with AsyncSink's mails. */
    private void onTaskThread(ThrowingRunnable action) {
        try {
            mailbox.execute(action::run, "PostHog sink: answer");
        } catch (RejectedExecutionException closed) {
            // The task is closing: what was not delivered is in the last checkpoint.
            LOG.debug("PostHog sink: an answer arrived after the writer closed");
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * No answer within the request timeout: the entries go back into the buffer at once, as
     * AsyncSink's own timeout does; an answer arriving later is ignored (the resubmitted request
     * answers for them, so a refusal reaches the error handler once).
     */
    private void timedOut(Attempt attempt) {
        if (attempt.done) {
            return;
        }
        attempt.done = true;
        rateLimiting.answered(true, false);
        metrics.failedAttempt("timeout", attempt.entries.size());
        LOG.warn(
                "PostHog capture: no answer within the request timeout of {} ms; resubmitting {}"
                        + " events",
                requestTimeout.toMillis(),
                attempt.entries.size());
        attempt.result.retryForEntries(attempt.entries);
    }

    private void onAnswer(Attempt attempt, @Nullable SendOutcome outcome, @Nullable Throwable error)
            throws Exception {
        if (attempt.done) {
            LOG.debug(
                    "PostHog sink: ignoring a late answer for {} events resubmitted after the"
                            + " request timeout",
                    attempt.entries.size());
            return;
        }
        attempt.done = true;
        if (attempt.timeout != null) {
            attempt.timeout.cancel(false);
        }
        ResultHandler<PostHogRequestEntry> result = attempt.result;
        if (error != null) {
            result.completeExceptionally(asException(error));
            return;
        }
        if (outcome.fatal() != null) {
            result.completeExceptionally(asException(outcome.fatal()));
            return;
        }
        boolean failed = !outcome.toRetry().isEmpty();
        rateLimiting.answered(failed, failed && outcome.throttled());
        if (!outcome.rejected().isEmpty()) {
            List<DeadLetter> deadLetters = new ArrayList<>(outcome.rejected().size());
            for (SendOutcome.Refusal refusal : outcome.rejected()) {
                deadLetters.add(refusal.toDeadLetter());
            }
            handleRejected(deadLetters);
        }
        onOutcome(attempt.entries, outcome, result);
    }

    private void onOutcome(
            List<PostHogRequestEntry> sent,
            SendOutcome outcome,
            ResultHandler<PostHogRequestEntry> result) {
        // Delivered, or refused by PostHog (handled above).
        metrics.pending(-(sent.size() - outcome.toRetry().size()));
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
        metrics.failedAttempt(cause, outcome.toRetry().size());
        RetryBudget.Decision decision =
                retryBudget.failed(
                        outcome.toRetry(),
                        attempts ->
                                backoff.failed(
                                        outcome.retryAfter(), attempts, rateLimiting.sustained()));
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
        int entries = sent.size();
        boolean setAside = rateLimiting.waiting(entries);
        retryTimer.schedule(
                () ->
                        onTaskThread(
                                () -> {
                                    if (setAside) {
                                        rateLimiting.resumed(entries);
                                    }
                                    result.retryForEntries(outcome.toRetry());
                                }),
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
            metrics.rejected();
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
