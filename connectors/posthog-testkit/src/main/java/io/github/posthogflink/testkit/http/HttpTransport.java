package io.github.posthogflink.testkit.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The testkit's HTTP/1.1 server, on Netty: event-loop threads parse and write HTTP (keep-alive,
 * pipelining, {@code 100-continue}, bodies aggregated as they stream in up to {@link
 * Settings#maxBodyBytes}, else 413); a bounded pool of worker threads runs the handlers, which may
 * block (DuckDB queries). Each connection's requests are handled one after another and answered in
 * order; connections are never closed while idle, only on {@code Connection: close}, a fault, an
 * oversized chunked body, a malformed request, or shutdown.
 */
public final class HttpTransport implements AutoCloseable {
    /** Default cap on a request body as received: the largest decoded body capture accepts. */
    public static final int DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

    /** Default number of worker threads: handlers, DuckDB queries. */
    public static final int DEFAULT_WORKER_THREADS = 16;

    /**
     * Where and how to serve.
     *
     * @param host the address to bind (127.0.0.1 for loopback only)
     * @param port 0 picks a free port
     * @param maxBodyBytes a larger request body (as sent, before gunzip) gets a 413
     * @param workerThreads the most handlers running at once; further requests wait in turn
     */
    public record Settings(String host, int port, int maxBodyBytes, int workerThreads) {
        public Settings {
            if (maxBodyBytes < 1 || workerThreads < 1) {
                throw new IllegalArgumentException("maxBodyBytes and workerThreads must be >= 1");
            }
        }

        public static Settings of(String host, int port) {
            return new Settings(host, port, DEFAULT_MAX_BODY_BYTES, DEFAULT_WORKER_THREADS);
        }
    }

    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final ChannelGroup channels;
    private final Channel server;
    private final String baseUrl;
    private final TransportStats stats;

    private HttpTransport(
            EventLoopGroup acceptor,
            EventLoopGroup io,
            ThreadPoolExecutor workers,
            ChannelGroup channels,
            Channel server,
            String baseUrl,
            TransportStats stats) {
        this.acceptor = acceptor;
        this.io = io;
        this.workers = workers;
        this.channels = channels;
        this.server = server;
        this.baseUrl = baseUrl;
        this.stats = stats;
    }

    /** Binds and starts serving with the default caps; {@code port} 0 picks a free port. */
    public static HttpTransport start(String host, int port, Function<Request, Outcome> pipeline)
            throws IOException {
        return start(Settings.of(host, port), pipeline);
    }

    /** Binds and starts serving. */
    public static HttpTransport start(Settings settings, Function<Request, Outcome> pipeline)
            throws IOException {
        EventLoopGroup acceptor =
                new NioEventLoopGroup(1, new DefaultThreadFactory("posthog-testkit-accept", true));
        EventLoopGroup io =
                new NioEventLoopGroup(
                        Math.min(2, Runtime.getRuntime().availableProcessors()),
                        new DefaultThreadFactory("posthog-testkit-io", true));
        ThreadPoolExecutor workers =
                new ThreadPoolExecutor(
                        settings.workerThreads(),
                        settings.workerThreads(),
                        30,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        new DefaultThreadFactory("posthog-testkit-http", true));
        workers.allowCoreThreadTimeOut(true);
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        TransportStats stats = new TransportStats();
        AtomicReference<String> baseUrl = new AtomicReference<>();
        try {
            Channel server =
                    new ServerBootstrap()
                            .group(acceptor, io)
                            .channel(NioServerSocketChannel.class)
                            .option(ChannelOption.SO_BACKLOG, 1024)
                            .option(ChannelOption.SO_REUSEADDR, true)
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childOption(ChannelOption.SO_KEEPALIVE, true)
                            .childHandler(
                                    new ChannelInitializer<SocketChannel>() {
                                        @Override
                                        protected void initChannel(SocketChannel channel) {
                                            channels.add(channel);
                                            channel.pipeline()
                                                    .addLast(
                                                            new HttpServerCodec(
                                                                    16 * 1024, 64 * 1024,
                                                                    64 * 1024))
                                                    .addLast(
                                                            new BodyAggregator(
                                                                    settings.maxBodyBytes()))
                                                    .addLast(
                                                            new ConnectionHandler(
                                                                    pipeline, workers, baseUrl,
                                                                    stats));
                                        }
                                    })
                            .bind(new InetSocketAddress(settings.host(), settings.port()))
                            .syncUninterruptibly()
                            .channel();
            int boundPort = ((InetSocketAddress) server.localAddress()).getPort();
            baseUrl.set(baseUrl(settings.host(), boundPort));
            return new HttpTransport(acceptor, io, workers, channels, server, baseUrl.get(), stats);
        } catch (RuntimeException e) {
            shutDown(acceptor, io, workers);
            if (e.getCause() instanceof IOException io2) {
                throw io2;
            }
            throw new IOException("Cannot bind " + settings.host() + ":" + settings.port(), e);
        }
    }

    private static String baseUrl(String host, int port) {
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        if ("0.0.0.0".equals(host)) {
            urlHost = "127.0.0.1";
        } else if ("::".equals(host) || "0:0:0:0:0:0:0:0".equals(host)) {
            urlHost = "[::1]";
        }
        return "http://" + urlHost + ":" + port;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections, requests and drops seen so far. */
    public TransportStats stats() {
        return stats;
    }

    /** Stops accepting, closes every connection and stops the threads. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutDown(acceptor, io, workers);
    }

    private static void shutDown(
            EventLoopGroup acceptor, EventLoopGroup io, ThreadPoolExecutor workers) {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
