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
 * first, on the server's one event-loop thread.
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
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bodyBytes = new AtomicLong();

    InstantServer() throws InterruptedException {
        this(request -> {});
    }

    InstantServer(RequestObserver observer) throws InterruptedException {
        this.observer = observer;
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
            observer.observe(request);
            FullHttpResponse response =
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(OK));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, OK.length);
            ctx.writeAndFlush(response);
        }
    }
}
