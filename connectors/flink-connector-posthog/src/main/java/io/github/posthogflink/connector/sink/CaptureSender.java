package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.http.ApiRequest;
import io.github.posthogflink.client.http.HttpTransport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends entries to {@code /batch/}, or one at a time to {@code /i/v0/e/} (gzipped unless disabled),
 * counts what goes over the wire, and classifies the answer: only capture's own JSON answer counts
 * as delivered ({@link CaptureAnswers}). A 400 or 413 for several events is bisected: each half is
 * sent on its own until the events PostHog refuses are isolated, so the good ones still get
 * through.
 */
final class CaptureSender {
    /** The raw body of a gzipped request, reused per thread; as large as the largest batch. */
    private static final ThreadLocal<byte[][]> RAW_BODY =
            ThreadLocal.withInitial(() -> new byte[1][]);

    private final HttpTransport transport;
    private final BatchEnvelope envelope;
    private final CaptureEndpoint endpoint;
    private final boolean gzip;
    private final SinkMetrics metrics;

    CaptureSender(
            HttpTransport transport,
            BatchEnvelope envelope,
            CaptureEndpoint endpoint,
            boolean gzip,
            SinkMetrics metrics) {
        this.transport = transport;
        this.envelope = envelope;
        this.endpoint = endpoint;
        this.gzip = gzip;
        this.metrics = metrics;
    }

    CompletableFuture<SendOutcome> send(List<PostHogRequestEntry> entries) {
        int rawLength;
        byte[] body;
        if (endpoint == CaptureEndpoint.SINGLE_EVENT) {
            if (entries.size() != 1) {
                throw new IllegalStateException("/i/v0/e/ takes one event per request");
            }
            byte[] raw = envelope.single(entries.get(0));
            rawLength = raw.length;
            body = gzip ? FastGzip.gzip(raw) : raw;
        } else if (gzip) {
            // The raw body only feeds the deflater: one buffer per thread serves every request
            // (a fresh one per request of 2,000 events would be a humongous G1 allocation).
            byte[][] holder = RAW_BODY.get();
            int size = envelope.size(entries);
            if (holder[0] == null || holder[0].length < size) {
                holder[0] = new byte[size];
            }
            rawLength = envelope.write(entries, holder[0]);
            body = FastGzip.gzip(holder[0], rawLength);
        } else {
            body = envelope.build(entries);
            rawLength = body.length;
        }
        ApiRequest request =
                ApiRequest.of("POST", ApiRequest.Host.INGESTION, endpoint.path())
                        .jsonBody(body)
                        .gzip(false)
                        .header("Content-Encoding", gzip ? "gzip" : null)
                        .retrySafe(true);
        metrics.requests.inc();
        metrics.bytesSentRaw.inc(rawLength);
        metrics.bytesSentCompressed.inc(body.length);
        return transport
                .send(request)
                .handle(
                        (response, error) -> {
                            if (error == null) {
                                if (!CaptureAnswers.isCaptureAnswer(response.body())) {
                                    return CompletableFuture.completedFuture(
                                            SendOutcome.fatal(
                                                    CaptureAnswers.notCapture(
                                                            transport.config().host(),
                                                            endpoint.path(),
                                                            response,
                                                            transport.config().projectApiKey())));
                                }
                                metrics.eventsSent.inc(entries.size());
                                return CompletableFuture.completedFuture(SendOutcome.delivered());
                            }
                            return onFailure(entries, unwrap(error));
                        })
                .thenCompose(outcome -> outcome);
    }

    private CompletableFuture<SendOutcome> onFailure(
            List<PostHogRequestEntry> entries, Throwable error) {
        if (!(error instanceof PostHogException failure)) {
            return CompletableFuture.completedFuture(SendOutcome.fatal(error));
        }
        if (failure.isRetryable()) {
            return CompletableFuture.completedFuture(
                    SendOutcome.retry(entries, retryCause(failure), failure.retryAfter(), failure));
        }
        int status = failure.status();
        if (status == 400 || status == 413) {
            if (entries.size() == 1) {
                PostHogRequestEntry entry = entries.get(0);
                return CompletableFuture.completedFuture(
                        SendOutcome.rejected(entry, failure.getMessage()));
            }
            int middle = entries.size() / 2;
            CompletableFuture<SendOutcome> left = send(entries.subList(0, middle));
            CompletableFuture<SendOutcome> right = send(entries.subList(middle, entries.size()));
            return left.thenCombine(right, SendOutcome::merge);
        }
        return CompletableFuture.completedFuture(
                SendOutcome.fatal(
                        new PostHogSinkException(
                                "PostHog refused a capture batch; check the host and the project"
                                        + " API key",
                                failure)));
    }

    static String retryCause(PostHogException failure) {
        int status = failure.status();
        if (status == 429) {
            return "http_429";
        }
        if (status == 408) {
            return "http_408";
        }
        if (status >= 500) {
            return "http_5xx";
        }
        return "timeout".equals(failure.code()) ? "timeout" : "connection";
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
    }
}
