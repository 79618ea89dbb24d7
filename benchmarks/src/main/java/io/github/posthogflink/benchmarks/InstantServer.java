package io.github.posthogflink.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP server on Netty that drains the body and answers {@code {"status":"Ok"}} at once,
 * so that the client side is what a benchmark measures. An optional observer sees each request
 * first, on the server's one event-loop thread. Optional seeded {@link ServerFaults} answer some
 * requests with 503 or 429 (as PostHog's capture does: plain text, no {@code Retry-After}), reset
 * the connection, or store the request and then lose the answer.
 */
final class InstantServer implements AutoCloseable {
    private static final byte[] OK = "{\"status\":\"Ok\"}".getBytes(StandardCharsets.UTF_8);

    /** Sees a request before it is answered; runs on the server's event-loop thread. */
    interface RequestObserver {
        void observe(FullHttpRequest request) throws Exception;
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final RequestObserver observer;
    private final ServerFaults faults;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bodyBytes = new AtomicLong();

    InstantServer() throws InterruptedException {
        this(request -> {});
    }

    InstantServer(RequestObserver observer) throws InterruptedException {
        this(observer, ServerFaults.NONE);
    }

    InstantServer(RequestObserver observer, ServerFaults faults) throws InterruptedException {
        this.observer = observer;
        this.faults = faults;
        channel =
                new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        ch.pipeline()
                                                .addLast(new HttpServerCodec())
                                                .addLast(new HttpObjectAggregator(64 << 20))
                                                .addLast(new Handler());
                                    }
                                })
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .sync()
                        .channel();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
                throws Exception {
            requests.incrementAndGet();
            bodyBytes.addAndGet(request.content().readableBytes());
            ServerFaults.Fault fault = faults.next();
            switch (fault) {
                case RESET -> {
                    ctx.close();
                    return;
                }
                case SERVICE_UNAVAILABLE, RATE_LIMITED -> {
                    answer(ctx, fault.status(), fault.body(), "text/plain");
                    return;
                }
                default -> observer.observe(request);
            }
            if (fault == ServerFaults.Fault.ANSWER_LOST) {
                ctx.close();
                return;
            }
            answer(ctx, HttpResponseStatus.OK, OK, "application/json");
        }

        private void answer(
                ChannelHandlerContext ctx,
                HttpResponseStatus status,
                byte[] body,
                String contentType) {
            FullHttpResponse response =
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(response);
        }
    }
}
