package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.ratelimit.SlidingWindowRateLimiter;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.BoundRequestBuilder;
import org.asynchttpclient.DefaultAsyncHttpClientConfig;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Sends {@link ApiRequest}s over one AsyncHttpClient (one event loop group, pooled keep-alive
 * connections), with auth, gzip, client-side rate limits and bounded retries.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    private final PostHogClientConfig config;
    private final EventLoopGroup eventLoop;
    private final AsyncHttpClient http;
    private final RequestListener listener;
    private final ConnectionGate gate;
    private final SlidingWindowRateLimiter limiter;

    /** Calls not yet completed, with their endpoints: failed on close, never left hanging. */
    private final Map<CompletableFuture<ApiResponse>, String> pending = new ConcurrentHashMap<>();

    private volatile boolean closed;

    public HttpTransport(PostHogClientConfig config, RequestListener listener) {
        this.config = config;
        this.listener = listener;
        this.gate = new ConnectionGate(config.maxConnections(), config.maxQueuedRequests());
        this.eventLoop =
                new NioEventLoopGroup(
                        config.ioThreads(), new DefaultThreadFactory("posthog-client", true));
        DefaultAsyncHttpClientConfig.Builder ahc =
                Dsl.config()
                        .setEventLoopGroup(eventLoop)
                        .setConnectTimeout(config.connectTimeout())
                        .setRequestTimeout(config.requestTimeout())
                        .setReadTimeout(config.requestTimeout())
                        // The cap is ours (ConnectionGate): AHC's would fail extra calls at once.
                        .setMaxConnections(-1)
                        .setMaxConnectionsPerHost(-1)
                        .setKeepAlive(true)
                        .setPooledConnectionIdleTimeout(Duration.ofSeconds(55))
                        .setUserAgent(config.userAgent())
                        .setFollowRedirect(false)
                        .setMaxRequestRetry(0)
                        .setUseInsecureTrustManager(false);
        ProxyRouting.apply(ahc, config.proxy());
        this.http = Dsl.asyncHttpClient(ahc);
        this.limiter =
                new SlidingWindowRateLimiter(
                        config.rateLimitPolicy(),
                        System::nanoTime,
                        (task, delay) -> eventLoop.schedule(task, delay, TimeUnit.NANOSECONDS));
    }

    public PostHogClientConfig config() {
        return config;
    }

    /**
     * Sends a request. The future completes with a 2xx or 304 response, or fails with a {@link
     * PostHogException} once retries are spent or when the failure is not retryable. Cancelling it,
     * or completing any stage derived from it first (e.g. {@code orTimeout}), stops the call: what
     * still waits for budget, a connection or a retry is never sent.
     */
    public CompletableFuture<ApiResponse> send(ApiRequest request) {
        byte[] body;
        try {
            body = encodeBody(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closed) {
            return CompletableFuture.failedFuture(CallFailures.closed(request.endpoint()));
        }
        // A caller that gives up on any stage of this future stops the call (CallFuture).
        CompletableFuture<ApiResponse> result = new CallFuture<>();
        pending.put(result, request.endpoint());
        result.whenComplete((r, e) -> pending.remove(result));
        if (closed) {
            result.completeExceptionally(CallFailures.closed(request.endpoint()));
            return result;
        }
        attempt(request, body, new Attempts(), result);
        return result;
    }

    /** What one call has been through: failures retried, 429s waited out, and for how long. */
    private static final class Attempts {
        int retries;
        int throttles;
        Duration throttled = Duration.ZERO;

        int count() {
            return retries + throttles;
        }
    }

    private void attempt(
            ApiRequest request,
            byte[] body,
            Attempts attempts,
            CompletableFuture<ApiResponse> result) {
        if (result.isDone()) {
            return; // the caller gave up (cancelled, or the client closed): send nothing
        }
        CompletableFuture<Void> permit = limiter.acquire(request.rateLimitClass);
        // A caller that gives up while waiting for budget leaves the limiter's queue.
        result.whenComplete((r, e) -> permit.cancel(false));
        long waitStart = System.nanoTime();
        permit.thenCompose(
                        ignored -> {
                            long waited = System.nanoTime() - waitStart;
                            if (waited > 1_000_000) {
                                listener.onThrottled(request.endpoint(), waited);
                            }
                            return result.isDone()
                                    ? CompletableFuture.<ApiResponse>failedFuture(
                                            CallFailures.closed(request.endpoint()))
                                    : execute(request, body, result);
                        })
                .whenComplete(
                        (response, error) -> {
                            if (result.isDone()) {
                                return;
                            }
                            PostHogException failure =
                                    error != null ? toException(request, error) : null;
                            if (failure == null) {
                                result.complete(response);
                            } else if (failure.status() == 429 && !closed) {
                                throttled(request, body, attempts, failure, result);
                            } else if (shouldRetry(request, failure, attempts.retries)) {
                                attempts.retries++;
                                Duration delay =
                                        config.retryPolicy()
                                                .delayBeforeRetry(
                                                        attempts.retries, failure.retryAfter());
                                scheduleRetry(request, body, attempts, delay, failure, result);
                            } else {
                                result.completeExceptionally(failure);
                            }
                        });
    }

    private boolean shouldRetry(ApiRequest request, PostHogException failure, int retry) {
        if (closed || !failure.isRetryable() || retry >= config.retryPolicy().maxRetries()) {
            return false;
        }
        if (!request.retryOnTimeout && CallFailures.timedOut(failure)) {
            return false;
        }
        return request.retrySafe;
    }

    /**
     * A 429 was not processed, so any call may repeat it: after PostHog's {@code Retry-After},
     * within the policy's {@code maxThrottleWait}, or it fails now, saying why.
     */
    private void throttled(
            ApiRequest request,
            byte[] body,
            Attempts attempts,
            PostHogException failure,
            CompletableFuture<ApiResponse> result) {
        RetryPolicy policy = config.retryPolicy();
        Duration delay =
                policy.delayWhenThrottled(
                        attempts.throttles + 1, attempts.throttled, failure.retryAfter());
        if (delay == null) {
            result.completeExceptionally(
                    policy.maxThrottleWait().isZero()
                            ? failure
                            : CallFailures.throttledBeyondPolicy(
                                    failure, attempts.throttled, policy.maxThrottleWait()));
            return;
        }
        attempts.throttles++;
        attempts.throttled = attempts.throttled.plus(delay);
        scheduleRetry(request, body, attempts, delay, failure, result);
    }

    private void scheduleRetry(
            ApiRequest request,
            byte[] body,
            Attempts attempts,
            Duration delay,
            PostHogException failure,
            CompletableFuture<ApiResponse> result) {
        RetryPolicy policy = config.retryPolicy();
        listener.onRetry(request.endpoint(), attempts.count(), CallFailures.retryCause(failure));
        if (failure.status() == 429) {
            LOG.warn(
                    "PostHog throttled {}: waiting {} ms as asked (waited {} s of at most {} s so"
                            + " far)",
                    request.endpoint(),
                    delay.toMillis(),
                    attempts.throttled.minus(delay).toSeconds(),
                    policy.maxThrottleWait().toSeconds());
        } else {
            LOG.warn(
                    "Retrying {} in {} ms (retry {} of {}): {}",
                    request.endpoint(),
                    delay.toMillis(),
                    attempts.retries,
                    policy.maxRetries(),
                    failure.getMessage());
        }
        try {
            eventLoop.schedule(
                    () -> attempt(request, body, attempts, result),
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            result.completeExceptionally(failure);
        }
    }

    private CompletableFuture<ApiResponse> execute(
            ApiRequest request, byte[] body, CompletableFuture<ApiResponse> caller) {
        BoundRequestBuilder builder = http.prepare(request.method, url(request));
        request.headers.forEach(builder::setHeader);
        builder.setHeader("Accept", "application/json");
        if (request.auth != ApiRequest.Auth.NONE) {
            String key =
                    request.auth == ApiRequest.Auth.FLAG_DEFINITIONS_KEY
                                    && config.flagsSecureKey() != null
                            ? config.flagsSecureKey()
                            : config.personalApiKey();
            if (key == null) {
                return CompletableFuture.failedFuture(
                        CallFailures.noPersonalApiKey(request.endpoint()));
            }
            builder.setHeader("Authorization", "Bearer " + key);
        }
        if (body != null) {
            builder.setHeader("Content-Type", "application/json");
            if (request.gzip) {
                builder.setHeader("Content-Encoding", "gzip");
            }
            builder.setBody(body);
        }
        return gate.submit(() -> timed(request, builder), caller);
    }

    private CompletableFuture<ApiResponse> timed(ApiRequest request, BoundRequestBuilder builder) {
        long start = System.nanoTime();
        return builder.execute()
                .toCompletableFuture()
                .thenApply(
                        response -> {
                            listener.onResponse(
                                    request.endpoint(),
                                    response.getStatusCode(),
                                    System.nanoTime() - start);
                            return check(request, response);
                        });
    }

    private String url(ApiRequest request) {
        if (request.absoluteUrl != null) {
            return request.absoluteUrl;
        }
        String base = request.host == ApiRequest.Host.API ? config.apiHost() : config.host();
        StringBuilder url = new StringBuilder(base).append(request.path);
        char sep = request.path.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, List<String>> e : request.query.entrySet()) {
            for (String v : e.getValue()) {
                url.append(sep)
                        .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return url.toString();
    }

    private static ApiResponse check(ApiRequest request, Response response) {
        int status = response.getStatusCode();
        byte[] bytes = response.getResponseBodyAsBytes();
        if ((status >= 200 && status < 300)
                || status == 304
                || request.answerStatuses.contains(status)) {
            return new ApiResponse(status, bytes, response::getHeader, request.endpoint());
        }
        throw ErrorBodies.toException(
                request.endpoint(), status, bytes, response.getHeader("Retry-After"));
    }

    private PostHogException toException(ApiRequest request, Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof PostHogException p) {
            return p;
        }
        return PostHogException.noResponse(request.endpoint(), target(url(request)), cause);
    }

    /** {@code host:port} of a URL, with the scheme's default port when it has none. */
    public static String target(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost() + ":" + port;
    }

    @Nullable
    private byte[] encodeBody(ApiRequest request) {
        if (request.body == null || !request.gzip) {
            return request.body;
        }
        return gzip(request.body);
    }

    /** Gzips a body. */
    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException("gzip failed", e);
        }
        return out.toByteArray();
    }

    /** Closes connections and threads; calls still waiting (for budget or a retry) fail. */
    @Override
    public void close() {
        closed = true;
        for (Map.Entry<CompletableFuture<ApiResponse>, String> call : pending.entrySet()) {
            call.getKey().completeExceptionally(CallFailures.closed(call.getValue()));
        }
        try {
            http.close();
        } catch (IOException e) {
            LOG.warn("Closing the HTTP client failed", e);
        } finally {
            eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
