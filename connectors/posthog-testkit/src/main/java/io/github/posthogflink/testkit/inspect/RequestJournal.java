package io.github.posthogflink.testkit.inspect;

import io.github.posthogflink.testkit.http.Bodies;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Every request received, bounded by count and by bytes (the oldest are dropped first), and
 * counters by route and by status. Bodies are kept as received (gzip stays compressed) and decoded
 * when read.
 */
public final class RequestJournal {
    /** Bytes a request costs besides its body, headers and path: a fair estimate of the object. */
    private static final int OVERHEAD_BYTES = 256;

    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<Entry> requests = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private long bytes;

    private record Entry(RecordedRequest request, long bytes) {}

    /** Keeps at most {@code capacity} requests and about {@code maxBytes} of them. */
    public RequestJournal(int capacity, long maxBytes) {
        if (capacity < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("capacity and maxBytes must be >= 0");
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    public long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** Records a request whose body is as received (decoded on reading). */
    public void record(RecordedRequest request, String counterKey) {
        long size = size(request);
        synchronized (requests) {
            requests.addLast(new Entry(request, size));
            bytes += size;
            while (!requests.isEmpty() && (requests.size() > capacity || bytes > maxBytes)) {
                bytes -= requests.removeFirst().bytes();
                increment("journal.evicted");
            }
        }
        increment("requests");
        increment("requests." + counterKey);
        increment("status." + request.status());
    }

    private static long size(RecordedRequest request) {
        long size = OVERHEAD_BYTES + request.body().length + request.path().length();
        size += request.query() == null ? 0 : request.query().length();
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            size += header.getKey().length();
            for (String value : header.getValue()) {
                size += value.length() + 16;
            }
        }
        return size;
    }

    public void increment(String counter) {
        add(counter, 1);
    }

    public void add(String counter, long amount) {
        counters.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
    }

    /** The kept requests, oldest first, bodies decoded (gunzipped when gzip). */
    public List<RecordedRequest> requests() {
        List<RecordedRequest> kept;
        synchronized (requests) {
            kept = new ArrayList<>(requests.size());
            requests.forEach(entry -> kept.add(entry.request()));
        }
        List<RecordedRequest> decoded = new ArrayList<>(kept.size());
        for (RecordedRequest request : kept) {
            decoded.add(request.withBody(Bodies.decodeLeniently(request.body())));
        }
        return List.copyOf(decoded);
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        return requests().stream().filter(filter).toList();
    }

    /** The bytes the kept requests take, by the journal's estimate. */
    public long bytes() {
        synchronized (requests) {
            return bytes;
        }
    }

    public Map<String, Long> counters() {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    public long counter(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
            bytes = 0;
        }
        counters.clear();
    }
}
