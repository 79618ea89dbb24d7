package io.github.posthogflink.testkit.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpExpectationFailedEvent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Collects a request body as it streams in, up to the cap. A body over the cap is not kept: the
 * connection handler answers 413 in turn (after earlier pipelined requests). With a {@code
 * Content-Length} over the cap the body is read and discarded and the connection stays usable (with
 * {@code Expect: 100-continue} the client never sends it); a chunked body that grows over the cap
 * is answered and the connection closed.
 */
final class BodyAggregator extends HttpObjectAggregator {
    /** Handed to {@link ConnectionHandler} instead of a request whose body is too large. */
    record TooLarge(HttpVersion version, boolean closeAfter) {}

    BodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected Object newContinueResponse(
            HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start)
                && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            // Answered by handleOversizedMessage, in order with the connection's other answers.
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean bodyUnderway = oversized instanceof FullHttpMessage;
        boolean close =
                bodyUnderway
                        || (!HttpUtil.is100ContinueExpected(oversized)
                                && !HttpUtil.isKeepAlive(oversized));
        if (!bodyUnderway && HttpUtil.is100ContinueExpected(oversized)) {
            // The client will not send the body: the decoder must not wait for it.
            ctx.pipeline().fireUserEventTriggered(HttpExpectationFailedEvent.INSTANCE);
        }
        ctx.fireChannelRead(new TooLarge(oversized.protocolVersion(), close));
    }
}
