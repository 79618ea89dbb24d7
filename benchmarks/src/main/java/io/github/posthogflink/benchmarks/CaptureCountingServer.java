package io.github.posthogflink.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
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

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A loopback capture endpoint that answers at once, like {@link InstantServer}, and counts what a
 * sink delivers: events (the elements of the {@code batch} array, read with a streaming parser),
 * requests, bytes on the wire and bytes after gunzip, and when the last event arrived.
 */
final class CaptureCountingServer implements AutoCloseable {
    private static final byte[] OK = "{\"status\":\"Ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final JsonFactory JSON =
            new JsonFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong wireBytes = new AtomicLong();
    final AtomicLong rawBytes = new AtomicLong();
    final AtomicLong lastEventNanos = new AtomicLong();

    CaptureCountingServer() throws InterruptedException {
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

    void reset() {
        requests.set(0);
        events.set(0);
        wireBytes.set(0);
        rawBytes.set(0);
        lastEventNanos.set(0);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static long countBatch(InputStream body) throws IOException {
        long count = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("batch".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        count++;
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return count;
    }

    /** Counts the bytes that pass through (after gunzip). */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
                throws IOException {
            requests.incrementAndGet();
            int wire = request.content().readableBytes();
            wireBytes.addAndGet(wire);
            boolean gzip = "gzip".equalsIgnoreCase(request.headers().get("Content-Encoding"));
            InputStream body = new ByteBufInputStream(request.content());
            CountingStream raw = new CountingStream(gzip ? new GZIPInputStream(body) : body);
            long n = countBatch(raw);
            raw.skip(Long.MAX_VALUE);
            rawBytes.addAndGet(raw.count);
            if (n > 0) {
                events.addAndGet(n);
                lastEventNanos.set(System.nanoTime());
            }
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
