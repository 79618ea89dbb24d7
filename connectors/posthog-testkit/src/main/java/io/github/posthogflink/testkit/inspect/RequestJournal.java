package io.github.posthogflink.testkit.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/** Every request received (bounded), and counters by route and by status. */
public final class RequestJournal {
    private final int capacity;
    private final ArrayList<RecordedRequest> requests = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Keeps at most {@code capacity} requests (the oldest are dropped). */
    public RequestJournal(int capacity) {
        this.capacity = capacity;
    }

    public long nextSequence() {
        return sequence.incrementAndGet();
    }

    public void record(RecordedRequest request, String counterKey) {
        synchronized (requests) {
            if (requests.size() >= capacity) {
                requests.subList(0, Math.max(1, capacity / 10)).clear();
            }
            requests.add(request);
        }
        increment("requests");
        increment("requests." + counterKey);
        increment("status." + request.status());
    }

    public void increment(String counter) {
        add(counter, 1);
    }

    public void add(String counter, long amount) {
        counters.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        return requests().stream().filter(filter).toList();
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
        }
        counters.clear();
    }
}
