package io.github.posthogflink.benchmarks;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded fault injection for {@link InstantServer}: each fault type fires on its share of the
 * requests exactly, spread out (an accumulator per type, started at a seeded phase), so that a run
 * of some fifty requests meets its profile and is repeatable. Faults are therefore isolated, not
 * bursts; a sustained outage is another matter (tested in the connector). The answers are capture's
 * own (PostHog/posthog {@code rust/capture/src/api.rs}): 503 "transient error, please retry" and
 * 429 "rate limited", plain text without {@code Retry-After}. Draws happen on the server's one
 * event-loop thread.
 */
final class ServerFaults {
    /** What happens to one request. */
    enum Fault {
        NONE,
        SERVICE_UNAVAILABLE,
        RATE_LIMITED,
        /** The connection is closed before the request is read as stored. */
        RESET,
        /** The request is stored (counted), then the connection is closed without an answer. */
        ANSWER_LOST;

        HttpResponseStatus status() {
            return this == RATE_LIMITED
                    ? HttpResponseStatus.TOO_MANY_REQUESTS
                    : HttpResponseStatus.SERVICE_UNAVAILABLE;
        }

        byte[] body() {
            String text = this == RATE_LIMITED ? "rate limited" : "transient error, please retry";
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final ServerFaults NONE = new ServerFaults("fault-free", 0, 0, 0, 0, 0);

    private final String name;
    private final double[] shares;
    private final long seed;
    private final double[] accumulated;

    ServerFaults(
            String name,
            double serviceUnavailable,
            double rateLimited,
            double reset,
            double answerLost,
            long seed) {
        this.name = name;
        this.shares = new double[] {serviceUnavailable, rateLimited, reset, answerLost};
        this.seed = seed;
        this.accumulated = new double[shares.length];
        reset();
    }

    String name() {
        return name;
    }

    /** Starts the sequence of faults again. */
    synchronized void reset() {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < accumulated.length; i++) {
            accumulated[i] = random.nextDouble();
        }
    }

    synchronized Fault next() {
        Fault fault = Fault.NONE;
        for (int i = 0; i < shares.length; i++) {
            accumulated[i] += shares[i];
            if (accumulated[i] >= 1 && fault == Fault.NONE) {
                accumulated[i] -= 1;
                fault = Fault.values()[i + 1];
            }
        }
        return fault;
    }
}
