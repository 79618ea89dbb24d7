package io.github.posthogflink.testkit.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the HTTP layer saw, for {@code /_testkit/counters} and benchmarks: connections opened and
 * closed, requests answered, and every connection that ended with a request unanswered, by cause.
 */
public final class TransportStats {
    final LongAdder opened = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder tooLarge = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder faultDrops = new LongAdder();
    final LongAdder peerClosedWithPending = new LongAdder();
    final LongAdder serverDropped = new LongAdder();

    /**
     * Connections the server closed with requests it had not answered, other than by a fault: a
     * server error or shutdown. Zero in a healthy run.
     */
    public long droppedConnections() {
        return serverDropped.sum();
    }

    /** Connections the client closed while a request of theirs was still being handled. */
    public long peerClosedWithPendingRequests() {
        return peerClosedWithPending.sum();
    }

    public long connectionsOpened() {
        return opened.sum();
    }

    public long requests() {
        return requests.sum();
    }

    /** Counters under {@code transport.}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("transport.connections.opened", opened.sum());
        counters.put("transport.connections.closed", closed.sum());
        counters.put("transport.connections.dropped", serverDropped.sum());
        counters.put("transport.connections.fault_dropped", faultDrops.sum());
        counters.put("transport.connections.peer_closed_pending", peerClosedWithPending.sum());
        counters.put("transport.requests", requests.sum());
        counters.put("transport.responses", answered.sum());
        counters.put("transport.status.413", tooLarge.sum());
        counters.put("transport.status.400", badRequests.sum());
        return counters;
    }
}
