package io.github.posthogflink.testkit.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One connection: requests are queued as they arrive (pipelined ones too), handled one at a time on
 * a worker thread, and answered in order on the connection's event loop. While requests wait,
 * reading pauses, so a fast client cannot queue without bound. All state is touched only on the
 * event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    /** Requests queued on one connection before reading pauses. */
    private static final int MAX_QUEUED = 16;

    private static final byte[] TOO_LARGE = "payload too large".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_REQUEST = "bad request".getBytes(StandardCharsets.UTF_8);

    /** A request waiting its turn, or a ready answer (413) that must keep its place. */
    private record Pending(
            Request request, HttpVersion version, boolean keepAlive, FullHttpResponse ready) {}

    private final Function<Request, Outcome> pipeline;
    private final Executor workers;
    private final AtomicReference<String> baseUrl;
    private final TransportStats stats;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;

    ConnectionHandler(
            Function<Request, Outcome> pipeline,
            Executor workers,
            AtomicReference<String> baseUrl,
            TransportStats stats) {
        this.pipeline = pipeline;
        this.workers = workers;
        this.baseUrl = baseUrl;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.opened.increment();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stats.closed.increment();
        if (!closing && (busy || !queue.isEmpty())) {
            stats.peerClosedWithPending.increment();
        }
        discardQueue();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (closing) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof BodyAggregator.TooLarge tooLarge) {
            stats.tooLarge.increment();
            enqueue(
                    ctx,
                    new Pending(
                            null,
                            tooLarge.version(),
                            !tooLarge.closeAfter(),
                            plain(tooLarge.version(), 413, TOO_LARGE)));
            return;
        }
        if (!(message instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(message);
            return;
        }
        try {
            if (request.decoderResult().isFailure()) {
                stats.badRequests.increment();
                enqueue(
                        ctx,
                        new Pending(
                                null,
                                HttpVersion.HTTP_1_1,
                                false,
                                plain(HttpVersion.HTTP_1_1, 400, BAD_REQUEST)));
                return;
            }
            stats.requests.increment();
            enqueue(
                    ctx,
                    new Pending(
                            toRequest(request),
                            request.protocolVersion(),
                            HttpUtil.isKeepAlive(request),
                            null));
        } finally {
            request.release();
        }
    }

    private void enqueue(ChannelHandlerContext ctx, Pending pending) {
        queue.add(pending);
        if (queue.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        if (!busy) {
            next(ctx);
        }
    }

    /** Starts on the next queued request, if any; reading resumes once the queue is short. */
    private void next(ChannelHandlerContext ctx) {
        Pending pending = queue.poll();
        if (queue.size() < MAX_QUEUED / 2 && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (pending == null) {
            busy = false;
            return;
        }
        busy = true;
        if (pending.ready() != null) {
            write(ctx, pending, pending.ready(), pending.keepAlive());
            return;
        }
        handle(ctx, pending, () -> pipeline.apply(pending.request()));
    }

    /** Runs the pipeline on a worker, then completes on the event loop. */
    private void handle(ChannelHandlerContext ctx, Pending pending, Supplier<Outcome> step) {
        try {
            workers.execute(
                    () -> {
                        Outcome outcome = run(pending, step);
                        ctx.executor().execute(() -> complete(ctx, pending, outcome));
                    });
        } catch (RejectedExecutionException shuttingDown) {
            stats.serverDropped.increment();
            close(ctx);
        }
    }

    private static Outcome run(Pending pending, Supplier<Outcome> step) {
        try {
            return step.get();
        } catch (RuntimeException | Error e) {
            LOG.warn(
                    "Serving {} {} failed: {}",
                    pending.request().method(),
                    Secrets.redact(pending.request().path()),
                    Secrets.redact(e.toString()));
            return Outcome.respond(
                    new ApiError(500, "server_error", "error", "A server error occurred.", null)
                            .toResponse());
        }
    }

    private void complete(ChannelHandlerContext ctx, Pending pending, Outcome outcome) {
        if (!ctx.channel().isActive()) {
            busy = false;
            discardQueue();
            return;
        }
        if (outcome.deferred()) {
            ctx.executor()
                    .schedule(
                            () -> handle(ctx, pending, outcome.next()),
                            outcome.delay().toNanos(),
                            TimeUnit.NANOSECONDS);
            return;
        }
        if (outcome.dropConnection()) {
            stats.faultDrops.increment();
            close(ctx);
            return;
        }
        Response response = outcome.response();
        boolean keepAlive =
                pending.keepAlive() && !"close".equalsIgnoreCase(header(response, "Connection"));
        write(ctx, pending, toNetty(pending, response), keepAlive);
    }

    private void write(
            ChannelHandlerContext ctx,
            Pending pending,
            FullHttpResponse response,
            boolean keepAlive) {
        if (keepAlive) {
            if (pending.version() == HttpVersion.HTTP_1_0) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        stats.answered.increment();
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            closing = true;
            discardQueue();
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        next(ctx);
    }

    private void close(ChannelHandlerContext ctx) {
        closing = true;
        busy = false;
        discardQueue();
        ctx.close();
    }

    private void discardQueue() {
        for (Pending pending : queue) {
            if (pending.ready() != null) {
                pending.ready().release();
            }
        }
        queue.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection failed: {}", cause.toString());
        } else {
            LOG.warn("Unexpected error on a connection", cause);
        }
        ctx.close();
    }

    private Request toRequest(FullHttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0) {
            uri = uri.substring(0, fragment);
        }
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        String rawQuery = question < 0 ? null : uri.substring(question + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.computeIfAbsent(
                            header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(header.getValue());
        }
        return new Request(
                request.method().name(),
                path.isEmpty() ? "/" : path,
                rawQuery,
                headers,
                ByteBufUtil.getBytes(request.content()),
                baseUrl.get());
    }

    /**
     * The answer as HTTP/1.1 wants it: no body for HEAD, 1xx, 204 and 304; {@code Content-Length}
     * otherwise (for HEAD, the length a GET would get).
     */
    private static FullHttpResponse toNetty(Pending pending, Response response) {
        int status = response.status();
        boolean head = "HEAD".equals(pending.request().method());
        boolean noBodyStatus = status < 200 || status == 204 || status == 304;
        byte[] body = response.body();
        FullHttpResponse netty =
                new DefaultFullHttpResponse(
                        pending.version(),
                        HttpResponseStatus.valueOf(status),
                        head || noBodyStatus || body.length == 0
                                ? Unpooled.EMPTY_BUFFER
                                : Unpooled.wrappedBuffer(body));
        response.headers()
                .forEach(
                        (name, value) -> {
                            if (!"content-length".equalsIgnoreCase(name)
                                    && !"connection".equalsIgnoreCase(name)
                                    && !"transfer-encoding".equalsIgnoreCase(name)) {
                                netty.headers().set(name, value);
                            }
                        });
        if (!noBodyStatus) {
            netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return netty;
    }

    private static FullHttpResponse plain(HttpVersion version, int status, byte[] body) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(
                        version, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private static String header(Response response, String name) {
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
